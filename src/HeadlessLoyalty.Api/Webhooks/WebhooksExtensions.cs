using System.Net;
using HeadlessLoyalty.Api.Cli;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace HeadlessLoyalty.Api.Webhooks;

public static class WebhooksExtensions
{
    /// <summary>
    /// Outbound webhooks: the options, the secret protector, the sender's HTTP client and the dispatcher (and its
    /// background service unless this is a CLI verb or <c>Webhooks:DispatcherEnabled=false</c>).
    /// <para>
    /// The client: a SocketsHttpHandler whose ConnectCallback is the SSRF guard (every resolved address checked at
    /// connect time), no proxy, no redirects; then a Polly pipeline per host (authority): quick retries (transport
    /// errors, timeouts, 408, 429, 5xx; Retry-After honoured up to 5 s, a longer one is left to the durable schedule),
    /// a circuit breaker (half the calls failing among at least 10 in 60 s opens it for 30 s) and a per-attempt timeout.
    /// The pipeline waits on the real clock: it is about the network, while the durable schedule follows the app's TimeProvider.
    /// </para>
    /// </summary>
    public static WebApplicationBuilder AddLoyaltyWebhooks(this WebApplicationBuilder builder, string[] args)
    {
        var services = builder.Services;
        services.AddOptions<WebhooksOptions>().BindConfiguration("Webhooks");
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();

        services.AddHttpClient(WebhookSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowLoopback = sp.GetRequiredService<IOptions<WebhooksOptions>>().Value.AllowLoopback;
                return new SocketsHttpHandler
                {
                    UseProxy = false,
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = (context, ct) => WebhookUrlGuard.ConnectAsync(context.DnsEndPoint, allowLoopback, ct),
                };
            })
            .AddResilienceHandler("webhooks", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<WebhooksOptions>>().Value;
                pipeline.TimeProvider = TimeProvider.System;
                if (options.QuickRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.QuickRetries,
                        Delay = TimeSpan.FromMilliseconds(500),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,
                        MaxDelay = MaxQuickRetryAfter,
                        ShouldHandle = args => ValueTask.FromResult(ShouldRetryQuickly(args.Outcome)),
                    });
                }
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 10,
                    SamplingDuration = TimeSpan.FromSeconds(60),
                    BreakDuration = TimeSpan.FromSeconds(30),
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            })
            .SelectPipelineByAuthority();

        if (CliExtensions.IsCliInvocation(args))
            return builder;
        if (builder.Configuration.GetValue("Webhooks:DispatcherEnabled", true))
            services.AddHostedService<WebhookDispatcherService>();
        return builder;
    }

    private static readonly TimeSpan MaxQuickRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Transient failures only; a 429/503 asking for a longer wait than <see cref="MaxQuickRetryAfter"/> goes back to the durable schedule.</summary>
    private static bool ShouldRetryQuickly(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is { } e)
            return e is HttpRequestException { InnerException: not WebhookAddressForbiddenException } or Polly.Timeout.TimeoutRejectedException;
        var response = outcome.Result!;
        var code = (int)response.StatusCode;
        if (code is not (408 or 429 or >= 500))
            return false;
        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is null || wait <= MaxQuickRetryAfter;
    }
}
