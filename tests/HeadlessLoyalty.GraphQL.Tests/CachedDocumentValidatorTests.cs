using System.Net;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using HeadlessLoyalty.GraphQL.Caching;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests;

/// <summary>
/// A cached document is validated by <see cref="CachedDocumentValidator"/>'s lean path: the answers must be exactly
/// those of the first (fully validated) request, for arguments, variables, fragments and rules.
/// </summary>
public sealed class CachedDocumentValidatorTests
{
    private static CachedDocumentValidator Validator(SampleServer server) =>
        (CachedDocumentValidator)server.Services.GetRequiredService<IDocumentValidator>();

    [Fact]
    public async Task Arguments_from_literals_variables_and_fragments_are_parsed_on_every_hit()
    {
        await using var server = await SampleServer.StartAsync();
        const string query = """
            query($n: String) {
              a: hello(name: $n)
              ...Named
              ... on Query { c: hello(name: "inline") }
              node { child { child { value } } }
            }
            fragment Named on Query { b: hello(name: "fragment") d: hello }
            """;

        foreach (var name in new[] { "first", "second", "third" })
        {
            var (response, body) = await server.Client.ExchangeAsync(Http.Post(new { query, variables = new { n = name } }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"Hello, {name}!", body["data"]!["a"]!.GetValue<string>());
            Assert.Equal("Hello, fragment!", body["data"]!["b"]!.GetValue<string>());
            Assert.Equal("Hello, inline!", body["data"]!["c"]!.GetValue<string>());
            Assert.Equal("Hello, world!", body["data"]!["d"]!.GetValue<string>());
            Assert.Equal(2, body["data"]!["node"]!["child"]!["child"]!["value"]!.GetValue<int>());
        }

        Assert.Equal(2, server.Services.GetRequiredService<ValidatedDocumentCache>().Hits);
        Assert.Equal(2, Validator(server).LeanValidations);
        Assert.True(CachedDocumentValidator.SeedsVariableUsages, "the variable-usage seeding no longer matches graphql-dotnet's ValidationContext");
    }

    [Fact]
    public async Task A_defaulted_variable_in_a_non_null_position_refuses_an_explicit_null_on_a_hit_as_on_the_first_request()
    {
        await using var server = await SampleServer.StartAsync();
        const string mutation = "mutation($t: String = \"default\") { addBook(title: $t) { title } }";

        var (first, firstBody) = await server.Client.ExchangeAsync(Http.Post(new { query = mutation }));
        var (defaulted, defaultedBody) = await server.Client.ExchangeAsync(Http.Post(new { query = mutation }));
        var (explicitNull, nullBody) = await server.Client.ExchangeAsync(Http.Post(new { query = mutation, variables = new JsonObject { ["t"] = null } }));
        var (given, givenBody) = await server.Client.ExchangeAsync(Http.Post(new { query = mutation, variables = new { t = "given" } }));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("default", firstBody["data"]!["addBook"]!["title"]!.GetValue<string>());
        Assert.Equal("default", defaultedBody["data"]!["addBook"]!["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, explicitNull.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", nullBody.FirstCode());
        Assert.Equal("given", givenBody["data"]!["addBook"]!["title"]!.GetValue<string>());
        Assert.Equal(3, Validator(server).LeanValidations);
    }

    [Fact]
    public async Task A_wrong_argument_value_from_a_variable_is_refused_on_a_hit()
    {
        await using var server = await SampleServer.StartAsync();
        const string query = "query($n: String!) { hello(name: $n) }";

        var (ok, _) = await server.Client.ExchangeAsync(Http.Post(new { query, variables = new { n = "x" } }));
        var (missing, body) = await server.Client.ExchangeAsync(Http.Post(new { query }));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", body.FirstCode());
    }

    [Fact]
    public async Task Operations_with_directives_go_through_core_and_honour_the_variables()
    {
        await using var server = await SampleServer.StartAsync();
        const string query = "query($skip: Boolean!) { hello @skip(if: $skip) whoami }";

        var (_, shown) = await server.Client.ExchangeAsync(Http.Post(new { query, variables = new { skip = false } }));
        var (_, skipped) = await server.Client.ExchangeAsync(Http.Post(new { query, variables = new { skip = true } }));

        Assert.Equal("Hello, world!", shown["data"]!["hello"]!.GetValue<string>());
        Assert.Null(skipped["data"]!["hello"]);
        Assert.Equal(1, server.Services.GetRequiredService<ValidatedDocumentCache>().Hits);
        Assert.Equal(0, Validator(server).LeanValidations);
    }

    [Fact]
    public async Task A_cached_document_rule_that_asks_for_node_visitors_still_walks_the_document()
    {
        var rule = new FieldCountingRule();
        await using var server = await SampleServer.StartAsync(graphQL: b => b.AddValidationRule(rule, useForCachedDocuments: true));
        const string query = "{ hello whoami books { title } }";

        await server.Client.ExchangeAsync(Http.Post(new { query }));
        rule.Reset();
        var (response, _) = await server.Client.ExchangeAsync(Http.Post(new { query }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Validator(server).LeanValidations);
        Assert.Equal(4, rule.PreFields); // hello, whoami, books, title
        Assert.Equal(4, rule.PostFields);
    }

    [Fact]
    public async Task A_document_is_lean_only_for_the_schema_it_was_validated_against()
    {
        await using var server = await SampleServer.StartAsync();
        var cache = server.Services.GetRequiredService<ValidatedDocumentCache>();
        var document = GraphQLParser.Parser.Parse("{ hello }");

        Assert.False(cache.IsValidated(document, new SampleSchema(server.Services)));
        Assert.False(cache.IsValidated(null, null));
    }

    private sealed class FieldCountingRule : IValidationRule
    {
        private int _pre;
        private int _post;

        public int PreFields => _pre;
        public int PostFields => _post;

        public void Reset() => _pre = _post = 0;

        public ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
            new(new FieldVisitor(() => Interlocked.Increment(ref _pre)));

        public ValueTask<IVariableVisitor?> GetVariableVisitorAsync(ValidationContext context) => default;

        public ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context) =>
            new(new FieldVisitor(() => Interlocked.Increment(ref _post)));

        private sealed class FieldVisitor(Action onField) : INodeVisitor
        {
            public ValueTask EnterAsync(ASTNode node, ValidationContext context)
            {
                if (node is GraphQLField)
                    onField();
                return default;
            }

            public ValueTask LeaveAsync(ASTNode node, ValidationContext context) => default;
        }
    }
}
