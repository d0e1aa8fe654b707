using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>
/// Copies per-caller scoped state (a tenant, a caller identity) from a parent scope into a fresh child scope.
/// The streaming transports create child scopes for every WebSocket operation (parent: the connection's scope) and
/// for every subscription event (parent: the operation's scope); resolvers create them with
/// <see cref="GraphQLServiceScopes.CreateChildScope"/>. Register implementations as singletons; all of them run.
/// </summary>
public interface IGraphQLScopeInitializer
{
    void Initialize(IServiceProvider parent, IServiceProvider child);
}

public static class GraphQLServiceScopes
{
    /// <summary>
    /// A new service scope carrying the caller state of <paramref name="parent"/> (every registered
    /// <see cref="IGraphQLScopeInitializer"/> runs). What a long-lived subscription resolver uses for each database read:
    /// its own DbContext per read, disposed at once, instead of the operation scope's one held across events.
    /// </summary>
    public static AsyncServiceScope CreateChildScope(this IServiceProvider parent)
    {
        var scope = parent.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        try
        {
            foreach (var initializer in parent.GetServices<IGraphQLScopeInitializer>())
                initializer.Initialize(parent, scope.ServiceProvider);
            return scope;
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }
}
