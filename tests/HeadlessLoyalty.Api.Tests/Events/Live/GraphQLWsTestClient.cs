using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HeadlessLoyalty.Api.Tests.Events.Live;

/// <summary>
/// A minimal graphql-transport-ws client over any <see cref="WebSocket"/> (the in-memory test server's, or a real
/// <see cref="ClientWebSocket"/> against Kestrel) for the loyaltyEvents tests: init, subscribe, read messages.
/// </summary>
public sealed class GraphQLWsTestClient(WebSocket socket) : IDisposable
{
    public const string LoyaltyEvents = """
        subscription($after: String, $types: [String!], $memberId: ID) {
          loyaltyEvents(after: $after, types: $types, memberId: $memberId) {
            __typename id position type member { id email }
            ... on PointsEarnedEvent { points balanceAfter }
          }
        }
        """;

    public WebSocket Socket => socket;

    public static async Task<GraphQLWsTestClient> ConnectAsync(Uri uri, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, timeout.Token);
        var client = new GraphQLWsTestClient(socket);
        await client.InitAsync(token);
        return client;
    }

    public async Task InitAsync(string token)
    {
        await SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + token } });
        var ack = await ReceiveAsync();
        if (ack?["type"]?.GetValue<string>() != "connection_ack")
            throw new InvalidOperationException($"Not acknowledged: {ack?.ToJsonString() ?? $"closed {socket.CloseStatus} {socket.CloseStatusDescription}"}");
    }

    public Task SubscribeAsync(string id, object variables, string query = LoyaltyEvents) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    public async Task SendAsync(object message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message, or null when the server closed the socket. The timeout guards against a hang only.</summary>
    public async Task<JsonNode?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var node = JsonNode.Parse(message.ToArray());
                if (node?["type"]?.GetValue<string>() == "ping")
                {
                    await SendAsync(new { type = "pong" });
                    message.SetLength(0);
                    continue;
                }
                return node;
            }
        }
    }

    /// <summary>The next <c>next</c> message's loyaltyEvents object; throws on anything else (error, complete, close).</summary>
    public async Task<JsonNode> NextEventAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveAsync(timeout) ?? throw new InvalidOperationException($"Closed: {socket.CloseStatus} {socket.CloseStatusDescription}");
        if (message["type"]?.GetValue<string>() != "next" || message["payload"]?["data"]?["loyaltyEvents"] is not { } e)
            throw new InvalidOperationException($"Expected an event, got {message.ToJsonString()}");
        return e;
    }

    /// <summary>Reads events until <paramref name="count"/> arrived.</summary>
    public async Task<List<JsonNode>> NextEventsAsync(int count, TimeSpan? timeout = null)
    {
        var events = new List<JsonNode>(count);
        while (events.Count < count)
            events.Add(await NextEventAsync(timeout));
        return events;
    }

    /// <summary>
    /// The error code the server refused operation <paramref name="id"/> with: an <c>error</c> message (validation) or a
    /// <c>next</c> carrying only errors (a refusal while resolving the stream), as the protocol allows both.
    /// </summary>
    public async Task<string> RefusalCodeAsync(string id)
    {
        var message = await ReceiveAsync() ?? throw new InvalidOperationException($"Closed: {socket.CloseStatus} {socket.CloseStatusDescription}");
        if (message["id"]?.GetValue<string>() != id)
            throw new InvalidOperationException($"Expected a refusal of {id}, got {message.ToJsonString()}");
        var errors = message["type"]?.GetValue<string>() switch
        {
            "error" => message["payload"],
            "next" when message["payload"]?["data"] is null => message["payload"]?["errors"],
            _ => null,
        };
        var code = errors?[0]?["extensions"]?["code"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"Expected a refusal, got {message.ToJsonString()}");
        if (message["type"]!.GetValue<string>() == "next" && await ReceiveAsync() is { } end && end["type"]?.GetValue<string>() != "complete")
            throw new InvalidOperationException($"Expected the refused operation's complete, got {end.ToJsonString()}");
        return code;
    }

    public static long Position(JsonNode e) => e["position"]!.GetValue<long>();

    public void Dispose() => socket.Dispose();
}
