using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using HeadlessLoyalty.Api.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HeadlessLoyalty.Api.Tests.Webhooks;

/// <summary>One request as the receiver saw it, with its own verdict on the signature.</summary>
public sealed record ReceivedWebhook(int Hit, string? EventId, string? EventType, string? Attempt, string? DeliveryId, string Body, bool SignatureValid)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// A real Kestrel on 127.0.0.1 that plays a webhook receiver: it verifies every signature the way the README tells
/// receivers to (with <see cref="Secret"/> and <see cref="Now"/>) and answers what <see cref="Script"/> says for
/// the n-th request (1-based): a status, optionally after a delay, optionally with Retry-After. Default: 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _hits;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public string? Secret { get; set; }

    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    public Func<int, Reply> Script { get; set; } = _ => new Reply(200);

    public string Url { get; private set; } = "";

    public int Port => new Uri(Url).Port;

    public sealed record Reply(int Status, TimeSpan? Delay = null, string? RetryAfter = null, Action? OnReceive = null);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = $"{address}/hook";
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var hit = Interlocked.Increment(ref _hits);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var valid = Secret is { } secret
            && WebhookSignature.Verify(secret, context.Request.Headers[WebhookSignature.SignatureHeader], body, Now(), TimeSpan.FromMinutes(5));
        Received.Enqueue(new ReceivedWebhook(hit,
            context.Request.Headers[WebhookSignature.EventIdHeader], context.Request.Headers[WebhookSignature.EventTypeHeader],
            context.Request.Headers[WebhookSignature.AttemptHeader], context.Request.Headers[WebhookSignature.DeliveryIdHeader],
            Encoding.UTF8.GetString(body), valid));
        var reply = Script(hit);
        reply.OnReceive?.Invoke();
        if (reply.Delay is { } delay)
            await Task.Delay(delay, CancellationToken.None);
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = retryAfter;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
