using System.Net.WebSockets;
using System.Text.Json.Nodes;
using HeadlessLoyalty.GraphQL.PersistedDocuments;
using HeadlessLoyalty.GraphQL.Subscriptions;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests.Subscriptions;

/// <summary>graphql-transport-ws with a raw ClientWebSocket against Kestrel: every message type and every close code.</summary>
public sealed class WebSocketProtocolTests
{
    private readonly TestEventSource _source = new();

    [Fact]
    public async Task Connection_init_is_acknowledged_with_the_authenticators_payload()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var plain = await WsClient.ConnectAsync(server.Address);
        await using var greeted = await WsClient.ConnectAsync(server.Address);

        await plain.SendAsync(new { type = "connection_init" });
        await greeted.SendAsync(new { type = "connection_init", payload = new { user = "alice", wantAck = true } });
        var plainAck = await plain.ReceiveAsync();
        var greetedAck = await greeted.ReceiveAsync();

        Assert.Equal("graphql-transport-ws", plain.Socket.SubProtocol);
        Assert.Equal("connection_ack", plainAck.Type());
        Assert.Null(plainAck!["payload"]);
        Assert.Equal("connection_ack", greetedAck.Type());
        Assert.Equal("welcome", greetedAck!["payload"]!["greeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_echoing_the_payload_even_before_init()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ConnectAsync(server.Address);

        await client.SendAsync(new { type = "ping", payload = new { at = 42 } });
        var pong = await client.ReceiveAsync();
        await client.SendAsync(new { type = "ping" });
        var bare = await client.ReceiveAsync();

        Assert.Equal("pong", pong.Type());
        Assert.Equal(42, pong!["payload"]!["at"]!.GetValue<int>());
        Assert.Equal("pong", bare.Type());
        Assert.Null(bare!["payload"]);
    }

    [Fact]
    public async Task The_server_sends_keep_alive_pings_and_accepts_pongs()
    {
        await using var server = await StreamingServer.StartAsync(_source, o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(50));
        await using var client = await WsClient.ReadyAsync(server.Address);

        var ping = await client.ReceiveAsync();
        await client.SendAsync(new { type = "pong" });
        await client.SubscribeAsync("q", "{ hello }");
        var next = await NextNonPingAsync(client);

        Assert.Equal("ping", ping.Type());
        Assert.Equal("next", next.Type());
    }

    [Fact]
    public async Task A_query_over_the_socket_is_next_then_complete()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address, new { user = "alice" });

        await client.SubscribeAsync("q1", "query Q($n: String) { hello(name: $n) whoami }", new { n = "socket" });
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        Assert.Equal(("next", "q1"), (next.Type(), next.Id()));
        Assert.Equal("Hello, socket!", next!["payload"]!["data"]!["hello"]!.GetValue<string>());
        Assert.Equal("alice", next["payload"]!["data"]!["whoami"]!.GetValue<string>());
        Assert.Equal(("complete", "q1"), (complete.Type(), complete.Id()));
    }

    [Fact]
    public async Task A_mutation_over_the_socket_is_next_then_complete()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("m1", "mutation { addBook(title: \"Solaris\") { title } }");
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        Assert.Equal("Solaris", next!["payload"]!["data"]!["addBook"]!["title"]!.GetValue<string>());
        Assert.Equal(("complete", "m1"), (complete.Type(), complete.Id()));
    }

    [Fact]
    public async Task A_subscription_streams_every_event_then_completes_with_its_source()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address, new { user = "alice", tenant = "t1" });

        await client.SubscribeAsync("s1", "subscription { events { value scopeId tenant } }");
        await _source.WaitForSubscribersAsync(1);
        _source.Publish("a");
        _source.Publish("b");
        _source.Publish("c");
        _source.Complete();
        var messages = new[] { await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync() };

        Assert.Equal(["next", "next", "next", "complete"], messages.Select(m => m.Type()));
        Assert.All(messages, m => Assert.Equal("s1", m.Id()));
        var events = messages[..3].Select(m => m!["payload"]!["data"]!["events"]!).ToList();
        Assert.Equal(["a", "b", "c"], events.Select(e => e["value"]!.GetValue<string>()));
        // Each event is resolved in its own scope, which inherited the connection's caller state.
        Assert.Equal(3, events.Select(e => e["scopeId"]!.GetValue<string>()).Distinct().Count());
        Assert.All(events, e => Assert.Equal("t1", e["tenant"]!.GetValue<string>()));
        await TestEventSource.WaitUntilAsync(() => _source.Subscribers == 0, "the finished operation unsubscribed");
    }

    [Fact]
    public async Task Client_complete_cancels_the_subscription_without_an_answer_and_frees_the_id()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("s1", "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);
        await client.SendAsync(new { id = "s1", type = "complete" });
        await _source.WaitForSubscribersAsync(0);
        _source.Publish("after");
        await client.SubscribeAsync("s1", "{ hello }");
        var next = await client.ReceiveAsync();

        // Nothing for the cancelled operation came before the reused id's answer.
        Assert.Equal(("next", "s1"), (next.Type(), next.Id()));
        Assert.Equal("Hello, world!", next!["payload"]!["data"]!["hello"]!.GetValue<string>());
    }

    [Fact]
    public async Task Operations_on_one_socket_run_independently()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("s1", "subscription { events { value } }");
        await client.SubscribeAsync("s2", "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(2);
        await client.SendAsync(new { id = "s1", type = "complete" });
        await _source.WaitForSubscribersAsync(1);
        _source.Publish("only-s2");
        var next = await client.ReceiveAsync();

        Assert.Equal(("next", "s2"), (next.Type(), next.Id()));
    }

    [Fact]
    public async Task A_validation_failure_is_an_error_message_and_the_socket_stays_open()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("bad", "{ nope }");
        var error = await client.ReceiveAsync();
        await client.SubscribeAsync("good", "{ hello }");
        var next = await client.ReceiveAsync();

        Assert.Equal(("error", "bad"), (error.Type(), error.Id()));
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", error!["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(("next", "good"), (next.Type(), next.Id()));
    }

    [Theory]
    [InlineData(null, "{ whoami }", "UNAUTHENTICATED")]
    [InlineData("mallory", "{ hello }", "FORBIDDEN")]
    public async Task Authorization_failures_are_error_messages_with_the_http_codes(string? user, string query, string code)
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address, user is null ? null : new { user });

        await client.SubscribeAsync("a", query);
        var error = await client.ReceiveAsync();

        Assert.Equal("error", error.Type());
        Assert.Equal(code, error!["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Persisted_only_roles_must_send_a_document_id_over_the_socket_too()
    {
        await using var server = await StreamingServer.StartAsync(_source, http: o => o.PersistedOnlyRoles.Add("kiosk"));
        var documentId = server.Services.GetRequiredService<PersistedDocumentStore>().Register("{ hello }");
        await using var client = await WsClient.ReadyAsync(server.Address, new { user = "k", roles = "kiosk" });

        await client.SubscribeAsync("free", "{ hello }");
        var refused = await client.ReceiveAsync();
        await client.SendAsync(new { id = "trusted", type = "subscribe", payload = new { documentId } });
        var next = await client.ReceiveAsync();

        Assert.Equal("PERSISTED_DOCUMENT_REQUIRED", refused!["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("Hello, world!", next!["payload"]!["data"]!["hello"]!.GetValue<string>());
    }

    [Fact]
    public async Task Depth_limits_apply_to_subscriptions()
    {
        await using var server = await StreamingServer.StartAsync(_source, http: o => o.MaxDepth = 3);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("deep", "subscription { events { node { child { child { value } } } } }");
        var error = await client.ReceiveAsync();

        Assert.Equal("MAX_DEPTH_EXCEEDED", error!["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(0, _source.EverSubscribed);
    }

    [Fact]
    public async Task A_failing_source_ends_the_subscription_with_a_generic_error_then_complete()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("s", "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);
        _source.Fail();
        var messages = new List<string>();
        string? code = null;
        while (await client.ReceiveAsync() is { } m)
        {
            messages.Add(m.Type());
            code ??= m["payload"]?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();
            if (m.Type() == "complete")
                break;
        }

        Assert.Equal("complete", messages[^1]);
        Assert.Equal("INTERNAL_SERVER_ERROR", code);
    }

    [Fact]
    public async Task A_source_ending_with_a_typed_ExecutionError_sends_that_error_then_complete()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("s", "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);
        _source.Publish("before");
        _source.FailWith("CURSOR_GONE", "Your cursor is gone; resync.");
        var messages = new List<JsonNode>();
        while (await client.ReceiveAsync() is { } m)
        {
            messages.Add(m);
            if (m.Type() == "complete")
                break;
        }

        Assert.Equal(["next", "next", "complete"], messages.Select(m => m.Type()));
        Assert.Equal("before", messages[0]["payload"]!["data"]!["events"]!["value"]!.GetValue<string>());
        var error = messages[1]["payload"]!["errors"]![0]!;
        Assert.Equal(("CURSOR_GONE", "Your cursor is gone; resync."), (error["extensions"]!["code"]!.GetValue<string>(), error["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_paced_backlog_far_larger_than_the_outbox_reaches_a_reading_client_whole_and_in_order()
    {
        await using var server = await StreamingServer.StartAsync(_source, o => o.OutboundBufferSize = 4);
        await using var client = await WsClient.ReadyAsync(server.Address, new { tenant = "t9" });

        await client.SubscribeAsync("b", "subscription { backlog(count: 300) { value } }");
        var values = new List<string>();
        JsonNode? message;
        while ((message = await client.ReceiveAsync()).Type() == "next")
            values.Add(message!["payload"]!["data"]!["backlog"]!["value"]!.GetValue<string>());

        Assert.Equal("complete", message.Type());
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"{i}:t9"), values);
    }

    [Fact]
    public async Task A_subscription_outlives_the_execution_timeout_of_its_initial_execution()
    {
        await using var server = await StreamingServer.StartAsync(_source, http: o => o.ExecutionTimeout = TimeSpan.FromMilliseconds(100));
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("s", "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);
        await Task.Delay(400);
        _source.Publish("late");
        var next = await client.ReceiveAsync();

        Assert.Equal("late", next!["payload"]!["data"]!["events"]!["value"]!.GetValue<string>());
    }

    // ---------- close codes ----------

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"payload\":{}}")]
    [InlineData("{\"type\":\"what\"}")]
    [InlineData("{\"type\":\"next\",\"id\":\"1\",\"payload\":{}}")]
    [InlineData("{\"type\":\"connection_ack\"}")]
    [InlineData("{\"type\":\"connection_init\",\"payload\":\"token\"}")]
    public async Task An_invalid_message_closes_with_4400(string message)
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ConnectAsync(server.Address);

        await client.SendTextAsync(message);
        var (code, _, _) = await client.ReceiveCloseAsync();

        Assert.Equal(4400, code);
    }

    [Theory]
    [InlineData("{\"type\":\"subscribe\",\"payload\":{\"query\":\"{ hello }\"}}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"\",\"payload\":{\"query\":\"{ hello }\"}}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"1\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{}}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":7}}")]
    [InlineData("{\"type\":\"complete\"}")]
    public async Task An_invalid_subscribe_or_complete_after_ack_closes_with_4400(string message)
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SendTextAsync(message);
        var (code, _, _) = await client.ReceiveCloseAsync();

        Assert.Equal(4400, code);
    }

    [Fact]
    public async Task A_binary_message_closes_with_4400()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ConnectAsync(server.Address);

        await client.Socket.SendAsync("{\"type\":\"ping\"}"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var (code, _, _) = await client.ReceiveCloseAsync();

        Assert.Equal(4400, code);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_with_4400()
    {
        await using var server = await StreamingServer.StartAsync(_source, http: o => o.MaxRequestBodyBytes = 1000);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("big", "{ hello(name: \"" + new string('x', 2000) + "\") }");
        var (code, _, _) = await client.ReceiveCloseAsync();

        Assert.Equal(4400, code);
    }

    [Fact]
    public async Task Subscribe_before_the_ack_closes_with_4401()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ConnectAsync(server.Address);

        await client.SubscribeAsync("1", "{ hello }");
        var (code, reason, _) = await client.ReceiveCloseAsync();

        Assert.Equal((4401, "Unauthorized"), (code, reason));
    }

    [Fact]
    public async Task A_refused_connection_init_closes_with_4403_and_the_reason()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ConnectAsync(server.Address);

        await client.SendAsync(new { type = "connection_init", payload = new { refuse = true } });
        var (code, reason, before) = await client.ReceiveCloseAsync();

        Assert.Equal((4403, "The token is not valid."), (code, reason));
        Assert.Empty(before); // no ack
    }

    [Fact]
    public async Task An_authenticator_that_fails_closes_with_4500_without_details()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ConnectAsync(server.Address);

        await client.SendAsync(new { type = "connection_init", payload = new { explode = true } });
        var (code, reason, _) = await client.ReceiveCloseAsync();

        Assert.Equal((4500, "Internal server error"), (code, reason));
    }

    [Fact]
    public async Task A_client_without_the_subprotocol_is_closed_with_4406()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ConnectAsync(server.Address, subprotocol: null);

        var (code, _, _) = await client.ReceiveCloseAsync();

        Assert.Equal(4406, code);
    }

    [Fact]
    public async Task No_connection_init_within_the_timeout_closes_with_4408()
    {
        await using var server = await StreamingServer.StartAsync(_source, o => o.ConnectionInitTimeout = TimeSpan.FromMilliseconds(200));
        await using var client = await WsClient.ConnectAsync(server.Address);

        var (code, reason, _) = await client.ReceiveCloseAsync();

        Assert.Equal((4408, "Connection initialisation timeout"), (code, reason));
    }

    [Fact]
    public async Task An_acknowledged_connection_outlives_the_init_timeout()
    {
        await using var server = await StreamingServer.StartAsync(_source, o => o.ConnectionInitTimeout = TimeSpan.FromMilliseconds(100));
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("s", "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);
        await Task.Delay(300); // well past the init timeout
        _source.Publish("still here");
        var next = await client.ReceiveAsync();

        Assert.Equal("still here", next!["payload"]!["data"]!["events"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_duplicate_id_of_a_running_operation_closes_with_4409()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SubscribeAsync("dup", "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);
        await client.SubscribeAsync("dup", "subscription { events { value } }");
        var (code, reason, _) = await client.ReceiveCloseAsync();

        Assert.Equal((4409, "Subscriber for dup already exists"), (code, reason));
        await _source.WaitForSubscribersAsync(0); // closing stopped the running operation
    }

    [Fact]
    public async Task A_second_connection_init_closes_with_4429()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);

        await client.SendAsync(new { type = "connection_init" });
        var (code, reason, _) = await client.ReceiveCloseAsync();

        Assert.Equal((4429, "Too many initialisation requests"), (code, reason));
    }

    [Fact]
    public async Task A_consumer_that_stops_reading_is_closed_with_1013_and_others_are_unaffected()
    {
        await using var server = await StreamingServer.StartAsync(_source, o =>
        {
            o.OutboundBufferSize = 4;
            o.CloseTimeout = TimeSpan.FromSeconds(30);
        });
        await using var slow = await WsClient.ReadyAsync(server.Address);
        await using var fast = await WsClient.ReadyAsync(server.Address);
        await slow.SubscribeAsync("s", "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);
        var big = new string('x', 64 * 1024);

        // The slow client reads nothing: the socket buffers fill, then the outbox, then the server cuts it off.
        for (var i = 0; i < 2000 && _source.Subscribers > 0; i++)
        {
            _source.Publish(big);
            await Task.Delay(1);
        }
        Assert.Equal(0, _source.Subscribers);
        await fast.SubscribeAsync("q", "{ hello }");
        var fastAnswer = await fast.ReceiveAsync();
        var (code, reason, before) = await slow.ReceiveCloseAsync();

        Assert.Equal(GraphQLCloseCodes.SlowConsumer, code);
        Assert.StartsWith("Slow consumer", reason);
        Assert.NotEmpty(before);
        Assert.Equal("next", fastAnswer.Type());
    }

    [Fact]
    public async Task Server_shutdown_closes_sockets_with_1001()
    {
        var server = await StreamingServer.StartAsync(_source);
        await using var client = await WsClient.ReadyAsync(server.Address);
        await client.SubscribeAsync("s", "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);

        var stopping = server.StopAsync();
        var (code, _, _) = await client.ReceiveCloseAsync();
        await stopping;
        await server.DisposeAsync();

        Assert.Equal(1001, code);
        Assert.Equal(0, _source.Subscribers);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode?> NextNonPingAsync(WsClient client)
    {
        while (true)
        {
            var message = await client.ReceiveAsync();
            if (message.Type() != "ping")
                return message;
        }
    }
}
