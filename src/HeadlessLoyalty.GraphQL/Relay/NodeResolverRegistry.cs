using GraphQL;
using GraphQL.Types;

namespace HeadlessLoyalty.GraphQL.Relay;

/// <summary>
/// Maps Node type names to loaders, for the <c>node(id: ID!): Node</c> root field. The host registers one loader per
/// type that implements Node (register as a singleton; loaders get the request's resolve context).
/// Unknown types and missing objects resolve to null, as Relay expects; only a malformed id is an error.
/// Loaders must apply the same visibility rules as the type's own query fields (tenant, ownership).
/// </summary>
public sealed class NodeResolverRegistry
{
    public const string InvalidIdCode = "INVALID_ID";

    private readonly Dictionary<string, Func<IResolveFieldContext, string, Task<object?>>> _resolvers = new(StringComparer.Ordinal);

    public NodeResolverRegistry Register(string typeName, Func<IResolveFieldContext, string, Task<object?>> resolve)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(resolve);
        if (!_resolvers.TryAdd(typeName, resolve))
            throw new InvalidOperationException($"A node resolver for type '{typeName}' is already registered.");
        return this;
    }

    public IReadOnlyCollection<string> TypeNames => _resolvers.Keys;

    public Task<object?> ResolveAsync(IResolveFieldContext context, string globalId)
    {
        if (!GlobalId.TryDecode(globalId, out var typeName, out var id))
            throw new ExecutionError("The id is not a valid global id.") { Code = InvalidIdCode };
        return _resolvers.TryGetValue(typeName, out var resolve) ? resolve(context, id) : Task.FromResult<object?>(null);
    }
}
