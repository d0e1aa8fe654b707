using System.Net;
using GraphQL;
using HeadlessLoyalty.GraphQL.Caching;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests;

public sealed class DocumentCacheTests
{
    [Fact]
    public async Task A_repeated_document_is_parsed_and_validated_once()
    {
        await using var server = await SampleServer.StartAsync();
        var cache = server.Services.GetRequiredService<ValidatedDocumentCache>();

        for (var i = 0; i < 3; i++)
        {
            var (response, _) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ books { title } }" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, cache.Misses);
        Assert.Equal(2, cache.Hits);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task A_user_dependent_rule_still_denies_on_a_cached_document()
    {
        await using var server = await SampleServer.StartAsync(
            graphQL: b => b.AddValidationRule<DenyMalloryRule>(useForCachedDocuments: true));
        var cache = server.Services.GetRequiredService<ValidatedDocumentCache>();

        var (alice, _) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }" }, user: "alice"));
        var (mallory, body) = await server.Client.ExchangeAsync(Http.Post(new { query = "{ hello }" }, user: "mallory"));

        Assert.Equal(HttpStatusCode.OK, alice.StatusCode);
        Assert.Equal(1, cache.Hits); // mallory's request was served from the cache...
        Assert.Equal(HttpStatusCode.Forbidden, mallory.StatusCode); // ...and still denied
        Assert.Equal("FORBIDDEN", body.FirstCode());
    }

    [Fact]
    public async Task A_cached_mutation_document_is_still_refused_over_get()
    {
        await using var server = await SampleServer.StartAsync();
        const string mutation = "mutation { addBook(title: \"x\") { id } }";

        var (post, _) = await server.Client.ExchangeAsync(Http.Post(new { query = mutation }));
        var (get, _) = await server.Client.ExchangeAsync(Http.Get("query=" + Uri.EscapeDataString(mutation)));

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
    }

    [Fact]
    public async Task Invalid_documents_are_not_cached()
    {
        await using var server = await SampleServer.StartAsync();
        var cache = server.Services.GetRequiredService<ValidatedDocumentCache>();

        await server.Client.ExchangeAsync(Http.Post(new { query = "{ nope }" }));
        await server.Client.ExchangeAsync(Http.Post(new { query = "{ nope }" }));

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public async Task The_cache_keeps_at_most_its_size_evicting_the_least_recently_used()
    {
        await using var server = await SampleServer.StartAsync(o => o.DocumentCacheSize = 2);
        var cache = server.Services.GetRequiredService<ValidatedDocumentCache>();

        foreach (var q in new[] { "{ a: hello }", "{ b: hello }", "{ a: hello }", "{ c: hello }", "{ a: hello }", "{ b: hello }" })
            await server.Client.ExchangeAsync(Http.Post(new { query = q }));

        // a miss, b miss, a hit, c miss (evicts b), a hit, b miss (evicts c)
        Assert.Equal(2, cache.Hits);
        Assert.Equal(4, cache.Misses);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task Variables_are_still_checked_on_a_cached_document()
    {
        await using var server = await SampleServer.StartAsync();
        const string query = "query($n: String) { hello(name: $n) }";

        var (ok, _) = await server.Client.ExchangeAsync(Http.Post(new { query, variables = new { n = "x" } }));
        var (bad, body) = await server.Client.ExchangeAsync(Http.Post(new { query, variables = new { n = new { nested = 1 } } }));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1, server.Services.GetRequiredService<ValidatedDocumentCache>().Hits);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", body.FirstCode());
    }
}
