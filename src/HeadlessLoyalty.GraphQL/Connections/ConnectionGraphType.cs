using GraphQL;
using GraphQL.DI;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;

namespace HeadlessLoyalty.GraphQL.Connections;

/// <summary>
/// <c>{Node}Connection { edges { cursor node } nodes pageInfo totalCount }</c> over a <see cref="Connection{TNode}"/>
/// (what <see cref="ConnectionSlicer"/> returns). Named after <typeparamref name="TNodeType"/>: <c>MemberType</c>
/// gives <c>MemberConnection</c> and <c>MemberEdge</c>. <c>nodes</c> spares clients the edge level when they need
/// no cursors.
/// </summary>
public class ConnectionGraphType<TNodeType, TNode> : ObjectGraphType<Connection<TNode>> where TNodeType : IGraphType
{
    public ConnectionGraphType()
    {
        var node = typeof(TNodeType).GraphQLName();
        Name = $"{node}Connection";
        Description = $"A page of {node} objects (Relay cursor connection).";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeGraphType<TNodeType, TNode>>>>>("edges")
            .Description("The page's edges: each object with its cursor.")
            .Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeType>>>>("nodes")
            .Description("The page's objects, in edge order.")
            .Resolve(c => c.Source.Edges?.Select(e => e.Node).ToList());
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Cursors and whether more pages exist.")
            .Resolve(c => c.Source.PageInfo);
        Field<NonNullGraphType<IntGraphType>>("totalCount").Description("How many objects match, over all pages.")
            .Resolve(c => c.Source.TotalCount);
    }
}

/// <summary><c>{Node}Edge { cursor node }</c>.</summary>
public class EdgeGraphType<TNodeType, TNode> : ObjectGraphType<Edge<TNode>> where TNodeType : IGraphType
{
    public EdgeGraphType()
    {
        var node = typeof(TNodeType).GraphQLName();
        Name = $"{node}Edge";
        Description = $"A {node} in a connection, with its cursor.";
        Field<NonNullGraphType<StringGraphType>>("cursor").Description("Opaque cursor for `after`/`before`.").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<TNodeType>>("node").Description($"The {node}.").Resolve(c => c.Source.Node);
    }
}

public static class ConnectionGraphTypeExtensions
{
    /// <summary>Registers the open generic connection and edge types (assembly scanning skips generic types).</summary>
    public static IGraphQLBuilder AddConnectionGraphTypes(this IGraphQLBuilder builder)
    {
        builder.Services.TryRegister(typeof(ConnectionGraphType<,>), typeof(ConnectionGraphType<,>), global::GraphQL.DI.ServiceLifetime.Transient);
        builder.Services.TryRegister(typeof(EdgeGraphType<,>), typeof(EdgeGraphType<,>), global::GraphQL.DI.ServiceLifetime.Transient);
        return builder;
    }
}
