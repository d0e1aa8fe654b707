using System.Net;
using GraphQL;
using HeadlessLoyalty.GraphQL.Http;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Microsoft.AspNetCore.Http;

namespace HeadlessLoyalty.GraphQL.Tests;

public sealed class StreamingSeamTests
{
    /// <summary>Stands in for the future graphql-sse transport.</summary>
    private sealed class FakeEventStream : IGraphQLStreamingTransport
    {
        public bool CanHandle(HttpContext context) => context.Request.Headers.Accept.ToString().Contains("text/event-stream");

        public Task HandleAsync(HttpContext context)
        {
            context.Response.ContentType = "text/event-stream";
            return context.Response.WriteAsync("event: complete\ndata:\n\n");
        }
    }

    [Fact]
    public async Task A_registered_streaming_transport_takes_the_requests_it_claims()
    {
        await using var server = await SampleServer.StartAsync(graphQL: b => b.Services.Register<IGraphQLStreamingTransport, FakeEventStream>(global::GraphQL.DI.ServiceLifetime.Singleton));

        var streaming = await server.Client.SendAsync(Http.Post(new { query = "subscription { ticks }" }, "text/event-stream"));
        var (plain, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }" }));

        Assert.Equal("text/event-stream", streaming.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("Hello, world!", body["data"]!["hello"]!.GetValue<string>());
    }
}
