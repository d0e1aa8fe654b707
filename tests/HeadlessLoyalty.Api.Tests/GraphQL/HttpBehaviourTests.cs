using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>
/// GraphQL over HTTP as the real app wires it at /graphql (the transport library has its own, app-less tests).
/// The transport does not touch the database, so these run on SQLite only.
/// </summary>
public sealed class HttpBehaviourTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private const string GraphQLResponse = "application/graphql-response+json";
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private async Task<HttpClient> AdminAsync(LoyaltyApiFactory? app = null)
    {
        app ??= _app;
        var slug = NewSlug("http");
        await app.CreateProgramAsync(slug);
        return app.CreateClient(app.MintToken(slug, Roles.Admin));
    }

    private static void AssertNoStackTrace(GraphQLResult result)
    {
        foreach (var marker in new[] { "stackTrace", "   at ", "Exception", ".cs:line" })
            Assert.False(result.Text.Contains(marker, StringComparison.Ordinal), $"'{marker}' in a client response: {result}");
    }

    [Fact]
    public async Task A_POST_with_application_json_is_served()
    {
        using var client = await AdminAsync();

        using var result = await client.PostGraphQLAsync("{ program { slug currency timeZone } }");

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        Assert.Equal("application/json", result.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("USD", result.Data.GetProperty("program").GetProperty("currency").GetString());
    }

    [Fact]
    public async Task A_GET_query_with_the_preflight_header_is_served_and_without_it_is_refused()
    {
        using var client = await AdminAsync();

        using var served = await client.SendGraphQLAsync(GraphQLClient.Get("{ program { timeZone } }"));
        using var refused = await client.SendGraphQLAsync(GraphQLClient.Get("{ program { timeZone } }", preflightHeader: false));

        Assert.True(served.Status == HttpStatusCode.OK && !served.HasErrors, served.ToString());
        Assert.Equal("UTC", served.Data.GetProperty("program").GetProperty("timeZone").GetString());
        Assert.True(refused.Status == HttpStatusCode.BadRequest, refused.ToString());
        Assert.Equal(["CSRF_PREFLIGHT_REQUIRED"], refused.ErrorCodes);
    }

    [Fact]
    public async Task A_mutation_over_GET_is_405_with_an_Allow_header()
    {
        using var client = await AdminAsync();

        using var result = await client.SendGraphQLAsync(GraphQLClient.Get("mutation { enrollMember(input: { email: \"get@example.com\" }) { member { id } } }"));

        Assert.True(result.Status == HttpStatusCode.MethodNotAllowed, result.ToString());
        Assert.Contains("POST", result.Response.Content.Headers.Allow);
        Assert.Equal(["METHOD_NOT_ALLOWED"], result.ErrorCodes);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task A_POST_of_another_content_type_is_415(string contentType)
    {
        using var client = await AdminAsync();

        using var result = await client.SendGraphQLAsync(GraphQLClient.RawPost("{\"query\":\"{ program { slug } }\"}", contentType));

        Assert.True(result.Status == HttpStatusCode.UnsupportedMediaType, result.ToString());
        Assert.Equal(["UNSUPPORTED_MEDIA_TYPE"], result.ErrorCodes);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_one_at_the_limit_is_served()
    {
        using var client = await AdminAsync();
        long limit;
        using (var scope = _app.Services.CreateScope())
            limit = scope.ServiceProvider.GetRequiredService<GraphQLHttpOptions>().MaxRequestBodyBytes;
        string Body(long size)
        {
            var prefix = "{\"query\":\"{ program { slug } }\",\"extensions\":{\"pad\":\"";
            const string suffix = "\"}}";
            return prefix + new string('x', (int)(size - prefix.Length - suffix.Length)) + suffix;
        }

        using var atLimit = await client.SendGraphQLAsync(GraphQLClient.RawPost(Body(limit), "application/json"));
        using var overLimit = await client.SendGraphQLAsync(GraphQLClient.RawPost(Body(limit + 1), "application/json"));

        Assert.True(atLimit.Status == HttpStatusCode.OK, atLimit.ToString()[..Math.Min(500, atLimit.ToString().Length)]);
        Assert.True(overLimit.Status == HttpStatusCode.RequestEntityTooLarge, overLimit.ToString());
        Assert.Equal(["PAYLOAD_TOO_LARGE"], overLimit.ErrorCodes);
    }

    [Theory]
    [InlineData("{\"query\": ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2]")]
    public async Task Malformed_JSON_is_400_with_a_JSON_error(string body)
    {
        using var client = await AdminAsync();

        using var result = await client.SendGraphQLAsync(GraphQLClient.RawPost(body, "application/json"));

        Assert.True(result.Status == HttpStatusCode.BadRequest, result.ToString());
        Assert.NotNull(result.Body);
        Assert.Equal(["BAD_REQUEST"], result.ErrorCodes);
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData(GraphQLResponse, GraphQLResponse)]
    [InlineData("application/json;q=0.5, application/graphql-response+json", GraphQLResponse)]
    [InlineData("application/graphql-response+json;q=0.5, application/json", "application/json")]
    public async Task The_response_media_type_follows_Accept(string? accept, string expected)
    {
        using var client = await AdminAsync();

        using var result = await client.PostGraphQLAsync("{ program { slug } }", accept: accept);

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        Assert.Equal(expected, result.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", result.Response.Content.Headers.ContentType?.CharSet);
    }

    [Fact]
    public async Task A_validation_error_is_400_for_graphql_response_json_and_200_for_legacy_json()
    {
        using var client = await AdminAsync();

        using var strict = await client.PostGraphQLAsync("{ program { noSuchField } }", accept: GraphQLResponse);
        using var legacy = await client.PostGraphQLAsync("{ program { noSuchField } }", accept: "application/json");

        Assert.True(strict.Status == HttpStatusCode.BadRequest, strict.ToString());
        Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], strict.ErrorCodes);
        Assert.False(strict.Root.TryGetProperty("data", out _), strict.ToString());
        Assert.True(legacy.Status == HttpStatusCode.OK, legacy.ToString());
        Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], legacy.ErrorCodes);
    }

    [Fact]
    public async Task A_document_deeper_than_the_limit_is_MAX_DEPTH_EXCEEDED()
    {
        using var client = await AdminAsync();
        int maxDepth;
        using (var scope = _app.Services.CreateScope())
            maxDepth = scope.ServiceProvider.GetRequiredService<GraphQLHttpOptions>().MaxDepth;
        // Member fields do not nest deep enough; introspection does. One list only (fields), so the complexity limit stays far.
        string Deep(int depth) => "{ __type(name: \"Member\") { fields { type " + string.Concat(Enumerable.Repeat("{ ofType ", depth - 4)) + "{ name }"
            + string.Concat(Enumerable.Repeat(" }", depth - 4)) + " } } }";

        using var within = await client.PostGraphQLAsync(Deep(maxDepth - 1), accept: GraphQLResponse);
        using var tooDeep = await client.PostGraphQLAsync(Deep(maxDepth + 1), accept: GraphQLResponse);

        Assert.True(within.Status == HttpStatusCode.OK && !within.HasErrors, within.ToString()[..Math.Min(500, within.ToString().Length)]);
        Assert.True(tooDeep.Status == HttpStatusCode.BadRequest, tooDeep.ToString());
        Assert.Equal(["MAX_DEPTH_EXCEEDED"], tooDeep.ErrorCodes);
    }

    [Fact]
    public async Task Anonymous_callers_get_401_with_a_bearer_challenge()
    {
        using var client = _app.CreateClient();

        using var result = await client.PostGraphQLAsync("{ program { slug } }");

        Assert.True(result.Status == HttpStatusCode.Unauthorized, result.ToString());
        Assert.Equal(["UNAUTHENTICATED"], result.ErrorCodes);
        Assert.Contains(result.Response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_browser_GET_in_Development_gets_the_IDE_page()
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, GraphQLClient.Path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        using var result = await client.SendGraphQLAsync(request);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("text/html", result.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("graphiql", result.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task In_Production_errors_carry_codes_without_stack_traces_and_no_IDE_is_served()
    {
        await using var production = await LoyaltyApiFactory.StartAsync(DatabaseProvider.Sqlite,
            new Dictionary<string, string?> { ["environment"] = Environments.Production });
        Assert.Equal(Environments.Production, production.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
        using (var scope = production.Services.CreateScope())
        {
            var options = scope.ServiceProvider.GetRequiredService<GraphQLHttpOptions>();
            Assert.False(options.ExposeExceptionDetails);
            Assert.False(options.EnableIde);
        }
        using var client = await AdminAsync(production);

        using var invalidId = await client.PostGraphQLAsync("{ node(id: \"%%%not-an-id\") { id } }");
        using var invalidLookup = await client.PostGraphQLAsync("{ member(by: {}) { id } }");
        using var invalidDocument = await client.PostGraphQLAsync("{ program { nope } }", accept: GraphQLResponse);
        using var badJson = await client.SendGraphQLAsync(GraphQLClient.RawPost("{", "application/json"));

        foreach (var (result, code) in new[] { (invalidId, "INVALID_ID"), (invalidLookup, "INVALID_INPUT"), (invalidDocument, "GRAPHQL_VALIDATION_FAILED"), (badJson, "BAD_REQUEST") })
        {
            Assert.Contains(code, result.ErrorCodes);
            Assert.All(result.ErrorCodes, c => Assert.False(string.IsNullOrEmpty(c), $"an error without extensions.code: {result}"));
            AssertNoStackTrace(result);
        }

        using var browser = production.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, GraphQLClient.Path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var page = await browser.SendGraphQLAsync(request);
        Assert.NotEqual("text/html", page.Response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("graphiql", page.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Errors_of_a_failing_query_are_JSON_with_a_code_and_the_other_fields_still_resolve()
    {
        using var client = await AdminAsync();

        using var result = await client.PostGraphQLAsync("{ program { slug } node(id: \"%%%not-an-id\") { id } }");

        Assert.True(result.Status == HttpStatusCode.OK, result.ToString());
        Assert.Equal(["INVALID_ID"], result.ErrorCodes);
        Assert.Equal(JsonValueKind.String, result.Data.GetProperty("program").GetProperty("slug").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.Data.GetProperty("node").ValueKind);
        var error = result.Root.GetProperty("errors")[0];
        Assert.Equal(["node"], error.GetProperty("path").EnumerateArray().Select(p => p.GetString()));
    }
}
