using System.Net;
using GraphQL;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.GraphQL.Tests;

public sealed class ExecutionTests
{
    [Fact]
    public async Task Queries_execute_serially_so_resolvers_never_overlap_on_the_request_scope()
    {
        await using var server = await SampleServer.StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ probeA probeB a2: probeA b2: probeB }" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Each probe reports how many resolvers were inside it at once (itself included).
        foreach (var field in new[] { "probeA", "probeB", "a2", "b2" })
            Assert.Equal(1, body["data"]![field]!.GetValue<int>());
    }

    [Fact]
    public async Task Data_loader_results_are_still_batched_under_serial_execution()
    {
        await using var server = await SampleServer.StartAsync();
        var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ books { title author { name } } }" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Herbert", "Austen", "Dick"], body["data"]!["books"]!.AsArray().Select(b => b!["author"]!["name"]!.GetValue<string>()));
        Assert.Equal([3], server.Services.GetRequiredService<BatchLog>().Sizes); // one fetch for all three books
    }

    [Fact]
    public void Options_bind_from_configuration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GraphQL:MaxDepth"] = "7",
            ["GraphQL:EnableIde"] = "true",
            ["GraphQL:ExecutionTimeout"] = "00:00:03",
            ["GraphQL:PersistedOnlyRoles:0"] = "storefront",
        });
        builder.Services.AddOptions<GraphQLHttpOptions>().BindConfiguration("GraphQL");
        builder.Services.AddGraphQL(b => b.AddSchema<SampleSchema>().AddSystemTextJson().AddHttpTransport(o => o.MaxComplexity = 42));
        using var app = builder.Build();

        var options = app.Services.GetRequiredService<GraphQLHttpOptions>();
        Assert.Equal(7, options.MaxDepth);
        Assert.True(options.EnableIde);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ExecutionTimeout);
        Assert.Contains("storefront", options.PersistedOnlyRoles);
        Assert.Equal(42, options.MaxComplexity);
        Assert.Same(options, app.Services.GetRequiredService<IOptions<GraphQLHttpOptions>>().Value);
    }
}
