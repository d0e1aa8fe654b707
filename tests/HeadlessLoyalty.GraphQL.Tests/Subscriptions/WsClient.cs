using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HeadlessLoyalty.GraphQL.Tests.Subscriptions;

/// <summary>A raw System.Net.WebSockets client speaking graphql-transport-ws by hand. Every wait is bounded.</summary>
internal sealed class WsClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ClientWebSocket _socket = new();

    public WebSocket Socket => _socket;

    public static async Task<WsClient> ConnectAsync(Uri httpAddress, string? subprotocol = "graphql-transport-ws")
    {
        var client = new WsClient();
        if (subprotocol is not null)
            client._socket.Options.AddSubProtocol(subprotocol);
        var uri = new UriBuilder(httpAddress) { Scheme = "ws", Path = "/graphql" }.Uri;
        using var timeout = new CancellationTokenSource(Patience);
        await client._socket.ConnectAsync(uri, timeout.Token);
        return client;
    }

    /// <summary>Connects, sends connection_init with <paramref name="payload"/> and expects connection_ack.</summary>
    public static async Task<WsClient> ReadyAsync(Uri httpAddress, object? payload = null)
    {
        var client = await ConnectAsync(httpAddress);
        await client.SendAsync(payload is null ? new { type = "connection_init" } : new { type = "connection_init", payload });
        var ack = await client.ReceiveAsync();
        Assert.Equal("connection_ack", ack?["type"]?.GetValue<string>());
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(message as string ?? JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>The next message, or null when the server closed the socket.</summary>
    public async Task<JsonNode?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return JsonNode.Parse(message.ToArray());
        }
    }

    /// <summary>Reads (and returns) every message until the server closes, then the close code and reason.</summary>
    public async Task<(int Code, string Reason, List<JsonNode> Before)> ReceiveCloseAsync()
    {
        var before = new List<JsonNode>();
        while (await ReceiveAsync() is { } message)
            before.Add(message);
        return ((int)_socket.CloseStatus!.Value, _socket.CloseStatusDescription ?? "", before);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token); }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
        _socket.Dispose();
    }
}

internal static class MessageAssertions
{
    public static string Type(this JsonNode? message) => message?["type"]?.GetValue<string>() ?? "<closed>";

    public static string? Id(this JsonNode? message) => message?["id"]?.GetValue<string>();
}
