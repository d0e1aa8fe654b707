using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Tests.Relay;

/// <summary>A schema whose graph types all come from the container, as in the host.</summary>
internal sealed class ContainerNodeSchema : Schema
{
    public ContainerNodeSchema(IServiceProvider services) : base(services)
    {
        Query = services.GetRequiredService<NodeQuery>();
        RegisterType(typeof(CustomerGraphType));
    }
}

public sealed class NodeRegistrationTests
{
    [Fact]
    public async Task AddRelayNodes_makes_the_node_field_work_in_a_container_built_schema()
    {
        var services = new ServiceCollection();
        services.AddGraphQL(b => b
            .AddSchema<ContainerNodeSchema>()
            .AddGraphTypes(typeof(ContainerNodeSchema).Assembly)
            .AddSystemTextJson()
            .AddRelayNodes(nodes => nodes.Register("Customer", (_, id) => Task.FromResult<object?>(new Customer(int.Parse(id), "From registry")))));
        await using var provider = services.BuildServiceProvider();
        var id = GlobalId.Encode("Customer", "5");

        var result = await provider.GetRequiredService<IDocumentExecuter<ContainerNodeSchema>>().ExecuteAsync(new ExecutionOptions
        {
            Query = $$"""{ node(id: "{{id}}") { id ... on Customer { name } } }""",
            RequestServices = provider,
        });

        Assert.Null(result.Errors);
        Assert.Contains($$$"""{"node":{"id":"{{{id}}}","name":"From registry"}}""", new GraphQLSerializer().Serialize(result));
    }
}
