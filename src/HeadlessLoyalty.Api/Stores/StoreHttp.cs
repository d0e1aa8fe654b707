using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace HeadlessLoyalty.Api.Stores;

/// <summary>
/// The one HTTP client of store connections (WooCommerce REST and Shopify Admin GraphQL), built by IHttpClientFactory
/// with a Polly pipeline per store (authority): retries of transient failures (transport errors, timeouts, 408, 429,
/// 5xx) with jittered exponential backoff honouring <c>Retry-After</c>; a circuit breaker (half the calls failing
/// among at least 10 in 60 s opens it for 30 s, so a dead store fails fast instead of holding redemptions); a
/// per-attempt timeout. Shopify's GraphQL throttling (HTTP 200 with <c>THROTTLED</c>) is retried by
/// <see cref="Shopify.ShopifyClient"/> itself, waiting what the throttle status says the bucket needs.
/// Retrying a POST is safe here: a repeated WooCommerce coupon is found by its code, a repeated webhook is deleted.
/// </summary>
public static class StoreHttp
{
    public const string ClientName = "stores";

    public static IServiceCollection AddStoreHttpClient(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                // The webhooks' SSRF guard: an admin's store URL may not reach internal addresses (loopback only with
                // Stores:AllowLoopbackHttp), checked at every connection; no redirects, no proxy.
                var allowLoopback = sp.GetRequiredService<IOptions<StoresOptions>>().Value.AllowLoopbackHttp;
                return new SocketsHttpHandler
                {
                    UseProxy = false,
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = (context, ct) => Webhooks.WebhookUrlGuard.ConnectAsync(context.DnsEndPoint, allowLoopback, ct),
                };
            })
            .AddResilienceHandler("stores", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<StoresOptions>>().Value;
                pipeline.TimeProvider = TimeProvider.System; // network waits follow the real clock
                if (options.Retries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.Retries,
                        Delay = options.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,
                        MaxDelay = options.MaxRetryDelay,
                        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
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
        return services;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception is { } e
        ? e is HttpRequestException { InnerException: not Webhooks.WebhookAddressForbiddenException } or Polly.Timeout.TimeoutRejectedException
        : outcome.Result!.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)outcome.Result.StatusCode >= 500;

    /// <summary>Sends a request; a transport failure, timeout or open circuit becomes <see cref="StoreUnreachableException"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or BrokenCircuitException
                                      || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new StoreUnreachableException($"The store at {request.RequestUri?.GetLeftPart(UriPartial.Authority)} could not be reached ({e.GetBaseException().GetType().Name}: {e.GetBaseException().Message}).");
        }
    }
}
