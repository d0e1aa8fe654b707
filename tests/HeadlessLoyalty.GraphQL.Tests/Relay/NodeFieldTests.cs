using GraphQL;
using GraphQL.SystemTextJson;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.GraphQL.Tests.Relay;

/// <summary>node(id:) and a connection field, executed through a real schema.</summary>
public sealed class NodeFieldTests
{
    private static async Task<(ExecutionResult Result, string Json)> ExecuteAsync(string query)
    {
        var result = await new DocumentExecuter().ExecuteAsync(new ExecutionOptions
        {
            Schema = new NodeSchema(NodeSchema.Registry()),
            Query = query,
        });
        return (result, new GraphQLSerializer().Serialize(result));
    }

    [Fact]
    public async Task Node_field_resolves_each_registered_type_by_global_id()
    {
        var customer = GlobalId.Encode("Customer", "3");
        var reward = GlobalId.Encode("Reward", "WELCOME");

        var (result, json) = await ExecuteAsync($$"""
            {
              c: node(id: "{{customer}}") { id __typename ... on Customer { name } }
              r: node(id: "{{reward}}") { id ... on Reward { code } }
            }
            """);

        Assert.Null(result.Errors);
        Assert.Contains($$"""{"c":{"id":"{{customer}}","__typename":"Customer","name":"Customer 3"}""", json);
        Assert.Contains($$"""{"id":"{{reward}}","code":"WELCOME"}""", json);
    }

    [Fact]
    public async Task Unknown_types_and_missing_objects_resolve_to_null()
    {
        var (result, json) = await ExecuteAsync($$"""
            {
              missing: node(id: "{{GlobalId.Encode("Customer", "999")}}") { id }
              unknown: node(id: "{{GlobalId.Encode("Invoice", "1")}}") { id }
            }
            """);

        Assert.Null(result.Errors);
        Assert.Contains("""{"missing":null,"unknown":null}""", json);
    }

    [Fact]
    public async Task A_malformed_id_is_an_invalid_id_error()
    {
        var (result, _) = await ExecuteAsync("""{ node(id: "%%%") { id } }""");

        var error = Assert.Single(result.Errors!);
        Assert.Equal(NodeResolverRegistry.InvalidIdCode, error.Code);
    }

    [Fact]
    public void Registering_a_type_twice_is_a_configuration_error()
    {
        var registry = new NodeResolverRegistry().Register("Customer", (_, _) => Task.FromResult<object?>(null));

        Assert.Throws<InvalidOperationException>(() => registry.Register("Customer", (_, _) => Task.FromResult<object?>(null)));
    }

    [Fact]
    public async Task Node_interface_is_exposed_as_specified_by_relay()
    {
        var (result, json) = await ExecuteAsync("""{ __type(name: "Node") { kind fields { name type { kind ofType { name } } } } }""");

        Assert.Null(result.Errors);
        Assert.Contains("""{"kind":"INTERFACE","fields":[{"name":"id","type":{"kind":"NON_NULL","ofType":{"name":"ID"}}}]}""", json);
    }

    [Fact]
    public async Task Connection_field_pages_through_the_slicer()
    {
        var (first, firstJson) = await ExecuteAsync("{ customers(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }");
        Assert.Null(first.Errors);
        Assert.Contains("""{"totalCount":7,"edges":[{"node":{"name":"Customer 1"}},{"node":{"name":"Customer 2"}}]""", firstJson);

        var endCursor = System.Text.Json.JsonDocument.Parse(firstJson).RootElement
            .GetProperty("data").GetProperty("customers").GetProperty("pageInfo").GetProperty("endCursor").GetString();
        var (next, nextJson) = await ExecuteAsync($$"""{ customers(first: 2, after: "{{endCursor}}") { edges { node { name } } } }""");

        Assert.Null(next.Errors);
        Assert.Contains("""[{"node":{"name":"Customer 3"}},{"node":{"name":"Customer 4"}}]""", nextJson);
    }

    [Theory]
    [InlineData("""{ customers(after: "bogus") { totalCount } }""", "INVALID_CURSOR")]
    [InlineData("""{ customers(first: 50) { totalCount } }""", "INVALID_PAGINATION")]
    [InlineData("""{ customers(last: -1) { totalCount } }""", "INVALID_PAGINATION")]
    public async Task Connection_argument_errors_reach_the_client_with_their_code(string query, string code)
    {
        var (result, _) = await ExecuteAsync(query);

        var error = Assert.Single(result.Errors!);
        Assert.Equal(code, error.Code);
    }
}
