using GraphQL;
using GraphQL.DI;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace HeadlessLoyalty.GraphQL.Relay;

public static class NodeFieldExtensions
{
    /// <summary>
    /// Registers <see cref="NodeInterfaceGraphType"/> (DI-built schemas resolve every graph type from the container)
    /// and a singleton <see cref="NodeResolverRegistry"/> filled by <paramref name="configure"/>, for the query type
    /// to take in its constructor and pass to <see cref="AddNodeField"/>.
    /// </summary>
    public static IGraphQLBuilder AddRelayNodes(this IGraphQLBuilder builder, Action<NodeResolverRegistry> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var registry = new NodeResolverRegistry();
        configure(registry);
        builder.Services.TryRegister(typeof(NodeInterfaceGraphType), typeof(NodeInterfaceGraphType), ServiceLifetime.Transient);
        builder.Services.Register(typeof(NodeResolverRegistry), registry);
        return builder;
    }

    /// <summary>Adds <c>node(id: ID!): Node</c> to a root query type, resolved through <paramref name="registry"/>.</summary>
    public static FieldType AddNodeField(this IObjectGraphType query, NodeResolverRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(registry);
        var field = new FieldType
        {
            Name = "node",
            Description = "Fetches an object given its global id.",
            Type = typeof(NodeInterfaceGraphType),
            Arguments = new QueryArguments(new QueryArgument<NonNullGraphType<IdGraphType>> { Name = "id", Description = "The global id." }),
            Resolver = new FuncFieldResolver<object?>(context => new ValueTask<object?>(registry.ResolveAsync(context, context.GetArgument<string>("id")))),
        };
        return query.AddField(field);
    }
}
