using System.Net;
using System.Text;
using HeadlessLoyalty.GraphQL.Tests.Sample;

namespace HeadlessLoyalty.GraphQL.Tests.Subscriptions;

/// <summary>graphql-sse (distinct connections) read with HttpClient from Kestrel.</summary>
public sealed class ServerSentEventsTests
{
    private readonly TestEventSource _source = new();

    [Fact]
    public async Task A_subscription_over_POST_streams_next_events_then_complete()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        using var sse = await SseClient.PostAsync(server.Client, new { query = "subscription { events { value scopeId } }" });
        await _source.WaitForSubscribersAsync(1);

        _source.Publish("a");
        _source.Publish("b");
        _source.Complete();
        var events = await sse.ReadToEndAsync();

        Assert.Equal(HttpStatusCode.OK, sse.Response.StatusCode);
        Assert.Equal("text/event-stream", sse.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", sse.Response.Headers.CacheControl!.ToString());
        Assert.Equal(["next", "next", "complete"], events.Select(e => e.Event));
        Assert.Equal(["a", "b"], events[..2].Select(e => e.Json!["data"]!["events"]!["value"]!.GetValue<string>()));
        Assert.NotEqual(events[0].Json!["data"]!["events"]!["scopeId"]!.GetValue<string>(), events[1].Json!["data"]!["events"]!["scopeId"]!.GetValue<string>());
        await _source.WaitForSubscribersAsync(0);
    }

    [Fact]
    public async Task A_subscription_over_GET_works_without_a_preflight_header()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        using var sse = await SseClient.GetAsync(server.Client, "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);

        _source.Publish("via-get");
        var next = await sse.ReadAsync();

        Assert.Equal("next", next!.Event);
        Assert.Equal("via-get", next.Json!["data"]!["events"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_query_is_one_next_event_then_complete_with_the_bearer_users_identity()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        using var sse = await SseClient.PostAsync(server.Client, new { query = "{ whoami }" }, user: "alice");

        var events = await sse.ReadToEndAsync();

        Assert.Equal(["next", "complete"], events.Select(e => e.Event));
        Assert.Equal("alice", events[0].Json!["data"]!["whoami"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_mutation_over_POST_runs_and_over_GET_is_refused()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        using var post = await SseClient.PostAsync(server.Client, new { query = "mutation { addBook(title: \"Dune\") { title } }" });
        using var get = await SseClient.GetAsync(server.Client, "mutation { addBook(title: \"Dune\") { title } }");

        var posted = await post.ReadToEndAsync();
        var got = await get.ReadToEndAsync();

        Assert.Equal("Dune", posted[0].Json!["data"]!["addBook"]!["title"]!.GetValue<string>());
        Assert.Equal("METHOD_NOT_ALLOWED", got[0].Json!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(["next", "complete"], got.Select(e => e.Event));
    }

    [Theory]
    [InlineData(null, "{ nope }", "GRAPHQL_VALIDATION_FAILED")]
    [InlineData(null, "{ whoami }", "UNAUTHENTICATED")]
    [InlineData("mallory", "{ hello }", "FORBIDDEN")]
    public async Task Validation_and_authorization_failures_are_a_next_event_on_an_accepted_stream(string? user, string query, string code)
    {
        await using var server = await StreamingServer.StartAsync(_source);
        using var sse = await SseClient.PostAsync(server.Client, new { query }, user);

        var events = await sse.ReadToEndAsync();

        Assert.Equal(HttpStatusCode.OK, sse.Response.StatusCode);
        Assert.Equal(["next", "complete"], events.Select(e => e.Event));
        Assert.Equal(code, events[0].Json!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_request_is_refused_as_plain_http_would()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{not json", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");

        var response = await server.Client.SendAsync(request);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_REQUEST", body.FirstCode());
    }

    [Fact]
    public async Task Keep_alive_comments_flow_while_the_stream_is_idle()
    {
        await using var server = await StreamingServer.StartAsync(_source, o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(50));
        using var sse = await SseClient.PostAsync(server.Client, new { query = "subscription { events { value } }" });

        var first = await sse.ReadAsync(includeComments: true);

        Assert.True(first!.Comment);
    }

    [Fact]
    public async Task A_client_that_disconnects_is_unsubscribed()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        var sse = await SseClient.PostAsync(server.Client, new { query = "subscription { events { value } }" });
        await _source.WaitForSubscribersAsync(1);

        sse.Dispose();

        await _source.WaitForSubscribersAsync(0);
    }

    [Fact]
    public async Task A_source_error_is_a_generic_error_event_then_complete()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        using var sse = await SseClient.PostAsync(server.Client, new { query = "subscription { events { value } }" });
        await _source.WaitForSubscribersAsync(1);

        _source.Fail();
        var events = await sse.ReadToEndAsync();

        Assert.Equal("complete", events[^1].Event);
        Assert.Contains(events, e => e.Json?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>() == "INTERNAL_SERVER_ERROR");
        Assert.DoesNotContain(events, e => e.Data.Contains("secret"));
    }

    [Fact]
    public async Task A_consumer_that_stops_reading_gets_a_SLOW_CONSUMER_event_and_the_stream_ends_without_complete()
    {
        await using var server = await StreamingServer.StartAsync(_source, o =>
        {
            o.OutboundBufferSize = 4;
            o.CloseTimeout = TimeSpan.FromSeconds(30);
        });
        using var sse = await SseClient.PostAsync(server.Client, new { query = "subscription { events { value } }" });
        await _source.WaitForSubscribersAsync(1);
        var big = new string('x', 64 * 1024);

        for (var i = 0; i < 2000 && _source.Subscribers > 0; i++)
        {
            _source.Publish(big);
            await Task.Delay(1);
        }
        Assert.Equal(0, _source.Subscribers);
        var events = await sse.ReadToEndAsync();

        Assert.Equal("next", events[^1].Event);
        Assert.Equal("SLOW_CONSUMER", events[^1].Json!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(events, e => e.Event == "complete");
        Assert.True(events.Count > 1);
    }

    [Fact]
    public async Task A_paced_backlog_far_larger_than_the_outbox_reaches_a_reading_client_whole()
    {
        await using var server = await StreamingServer.StartAsync(_source, o => o.OutboundBufferSize = 4);
        using var sse = await SseClient.PostAsync(server.Client, new { query = "subscription { backlog(count: 300) { value } }" });

        var events = await sse.ReadToEndAsync();

        Assert.Equal("complete", events[^1].Event);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"{i}:"), events[..^1].Select(e => e.Json!["data"]!["backlog"]!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Without_accept_event_stream_the_plain_http_transport_still_refuses_subscriptions()
    {
        await using var server = await StreamingServer.StartAsync(_source);

        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "subscription { events { value } }" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("SUBSCRIPTION_TRANSPORT_REQUIRED", body.FirstCode());
    }
}
