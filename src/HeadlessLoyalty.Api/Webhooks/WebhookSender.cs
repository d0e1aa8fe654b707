using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>What one attempt came to: a 2xx is a success; anything else (or no response) a failure to retry.</summary>
public sealed record WebhookAttemptResult(bool Succeeded, int? StatusCode, int DurationMs, string? Error, TimeSpan? RetryAfter);

/// <summary>
/// POSTs one signed event through the <see cref="HttpClientName"/> client (the Polly pipeline and the SSRF-guarded
/// handler of <see cref="WebhooksExtensions"/>). Never throws for the receiver's faults: they become the result.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock)
{
    public const string HttpClientName = "webhooks";

    public async Task<WebhookAttemptResult> SendAsync(string url, string secret, byte[] body, Events.DomainEvent e, Guid deliveryId, int attempt, CancellationToken ct, TimeSpan? budget = null)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.ParseAdd("HeadlessLoyalty-Webhooks/1");
        request.Headers.Add(WebhookSignature.EventIdHeader, e.Id.ToString());
        request.Headers.Add(WebhookSignature.EventTypeHeader, e.Type);
        request.Headers.Add(WebhookSignature.DeliveryIdHeader, deliveryId.ToString());
        request.Headers.Add(WebhookSignature.AttemptHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Header(secret, timestamp, body));

        var watch = Stopwatch.StartNew();
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (budget is { } b)
                limit.CancelAfter(b);
            using var client = clients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var code = (int)response.StatusCode;
            var ok = code is >= 200 and <= 299;
            return new(ok, code, Elapsed(watch), ok ? null : $"HTTP {code} {response.ReasonPhrase}".Trim(), RetryAfter(response));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return new(false, null, Elapsed(watch), Describe(ex), null);
        }
    }

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    /// <summary>Retry-After as a delay (seconds, or an HTTP date relative to now); null when absent.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    private static string Describe(Exception ex)
    {
        var message = ex switch
        {
            TimeoutRejectedException or OperationCanceledException => "timeout: no response in time",
            BrokenCircuitException => "circuit open: too many recent failures for this host, not called",
            HttpRequestException { InnerException: WebhookAddressForbiddenException forbidden } => $"forbidden address: {forbidden.Message}",
            HttpRequestException http when http.InnerException is { } inner => $"{http.Message} ({inner.Message})",
            _ => ex.Message,
        };
        return message.Length <= WebhookDelivery.MaxErrorLength ? message : message[..WebhookDelivery.MaxErrorLength];
    }
}
