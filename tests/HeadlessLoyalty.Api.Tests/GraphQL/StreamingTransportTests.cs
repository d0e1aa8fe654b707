using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>
/// The app's wiring of the streaming transports: connection_init authenticated with the same JWT validation and
/// tenant resolution as HTTP (over the in-memory server's WebSocket), and graphql-sse with the bearer header.
/// </summary>
public abstract class StreamingTransportTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private async Task<string> NewProgramAsync()
    {
        var slug = $"ws-{Guid.NewGuid():N}"[..12];
        await _app.CreateProgramAsync(slug);
        return slug;
    }

    [DbFact]
    public async Task A_query_over_the_socket_runs_as_the_bearer_token_in_the_authorization_field()
    {
        var slug = await NewProgramAsync();
        using var socket = await ConnectAsync();

        await SendAsync(socket, new { type = "connection_init", payload = new { Authorization = "Bearer " + _app.MintToken(slug, Roles.Partner) } });
        var ack = await ReceiveAsync(socket);
        await SendAsync(socket, new { id = "1", type = "subscribe", payload = new { query = "{ program { slug } }" } });
        var next = await ReceiveAsync(socket);
        var complete = await ReceiveAsync(socket);

        Assert.Equal("connection_ack", ack!["type"]!.GetValue<string>());
        Assert.Equal(slug, next!["payload"]!["data"]!["program"]!["slug"]!.GetValue<string>());
        Assert.Equal("complete", complete!["type"]!.GetValue<string>());
    }

    [DbFact]
    public async Task The_token_field_is_accepted_too()
    {
        var slug = await NewProgramAsync();
        using var socket = await ConnectAsync();

        await SendAsync(socket, new { type = "connection_init", payload = new { token = _app.MintToken(slug, Roles.Admin) } });
        await ReceiveAsync(socket);
        await SendAsync(socket, new { id = "1", type = "subscribe", payload = new { query = "{ program { slug } }" } });
        var next = await ReceiveAsync(socket);

        Assert.Equal(slug, next!["payload"]!["data"]!["program"]!["slug"]!.GetValue<string>());
    }

    [DbFact]
    public async Task Without_a_token_the_connection_is_anonymous_and_protected_fields_are_UNAUTHENTICATED()
    {
        using var socket = await ConnectAsync();

        await SendAsync(socket, new { type = "connection_init" });
        var ack = await ReceiveAsync(socket);
        await SendAsync(socket, new { id = "1", type = "subscribe", payload = new { query = "{ program { slug } }" } });
        var error = await ReceiveAsync(socket);

        Assert.Equal("connection_ack", ack!["type"]!.GetValue<string>());
        Assert.Equal("error", error!["type"]!.GetValue<string>());
        Assert.Equal("UNAUTHENTICATED", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    public static TheoryData<string> RefusedKinds => ["missing program", "wrong key", "not a jwt", "unknown member", "no bearer prefix"];

    [DbTheory]
    [MemberData(nameof(RefusedKinds))]
    public async Task A_refused_token_closes_the_socket_with_4403_and_the_http_error_code(string kind)
    {
        var slug = await NewProgramAsync();
        object payload = kind switch
        {
            "missing program" => new { Authorization = "Bearer " + _app.MintToken("no-such-program", Roles.Admin) },
            "wrong key" => new { token = Forge(slug, "another-key-of-at-least-32-bytes-abcdefghijkl") },
            "not a jwt" => new { token = "not-a-jwt" },
            "unknown member" => new { token = _app.MintToken(slug, Roles.Storefront, memberId: Guid.NewGuid()) },
            _ => new { Authorization = _app.MintToken(slug, Roles.Admin) },
        };
        var expected = kind == "missing program" ? "UNKNOWN_PROGRAM" : "INVALID_TOKEN";
        using var socket = await ConnectAsync();

        await SendAsync(socket, new { type = "connection_init", payload });
        var message = await ReceiveAsync(socket);

        Assert.Null(message); // closed, never acknowledged
        Assert.Equal(4403, (int)socket.CloseStatus!.Value);
        Assert.StartsWith(expected + ":", socket.CloseStatusDescription);
    }

    [DbFact]
    public async Task A_query_over_sse_runs_as_the_bearer_header()
    {
        var slug = await NewProgramAsync();
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Service));
        using var request = SseRequest("{ program { slug } }");

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("event: next\ndata: ", text);
        var data = JsonNode.Parse(text.Split('\n')[1]["data: ".Length..])!;
        Assert.Equal(slug, data["data"]!["program"]!["slug"]!.GetValue<string>());
        Assert.Contains("event: complete\n", text);
    }

    [DbFact]
    public async Task An_sse_request_with_a_refused_token_is_401_like_plain_http()
    {
        using var client = _app.CreateClient(_app.MintToken("no-such-program", Roles.Service));
        using var request = SseRequest("{ program { slug } }");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static HttpRequestMessage SseRequest(string query)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return request;
    }

    private string Forge(string slug, string key) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.LocalIssuer,
            Audience = AuthOptions.LocalAudience,
            Subject = new ClaimsIdentity([new Claim("sub", "mallory"), new Claim("program", slug), new Claim("role", "admin")]),
            IssuedAt = _app.Clock.GetUtcNow().UtcDateTime,
            NotBefore = _app.Clock.GetUtcNow().UtcDateTime,
            Expires = _app.Clock.GetUtcNow().UtcDateTime.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    private async Task<WebSocket> ConnectAsync()
    {
        var client = _app.Server.CreateWebSocketClient();
        client.SubProtocols.Add("graphql-transport-ws");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await client.ConnectAsync(new Uri(_app.Server.BaseAddress, "graphql"), timeout.Token);
    }

    private static async Task SendAsync(WebSocket socket, object message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message, or null when the server closed the socket.</summary>
    private static async Task<JsonNode?> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return JsonNode.Parse(message.ToArray());
        }
    }
}

public sealed class StreamingTransportTestsOnSqlite(SqliteFixture fixture) : StreamingTransportTests(fixture), IClassFixture<SqliteFixture>;

public sealed class StreamingTransportTestsOnPostgres(PostgresFixture fixture) : StreamingTransportTests(fixture), IClassFixture<PostgresFixture>;
