using GraphQL;
using GraphQL.Execution;
using Microsoft.Extensions.DependencyInjection;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>
/// Subscriptions whose events are resolved serially (like queries: scoped services allow one resolver at a time) in a
/// fresh child scope of the operation's scope per event (created when a field first asks for a service, so an event of
/// plain data costs no scope), so no DbContext (and its change tracker) lives across events.
/// The child scope gets the caller state through <see cref="IGraphQLScopeInitializer"/>; core's default strategy would
/// resolve every event in parallel in the operation's scope, and GraphQL.MicrosoftDI's scoped one in a scope that
/// knows nothing about the caller.
/// </summary>
internal sealed class ScopePerEventSubscriptionStrategy() : SubscriptionExecutionStrategy(new SerialExecutionStrategy())
{
    protected override async ValueTask<ExecutionResult> ProcessDataAsync(ExecutionContext context, ExecutionNode node, object? value)
    {
        if (context.RequestServices is not { } parent)
            return await base.ProcessDataAsync(context, node, value).ConfigureAwait(false);
        // The child scope is made on the first service asked for: an event whose fields need no service (plain data
        // from the source) costs no scope at all, which matters when one event fans out to thousands of subscribers.
        await using var scope = new LazyChildScope(parent);
        context.RequestServices = scope;
        return await base.ProcessDataAsync(context, node, value).ConfigureAwait(false);
    }

    /// <summary>A service provider that creates its child scope of the operation's scope when first asked for a service.</summary>
    private sealed class LazyChildScope(IServiceProvider parent) : IServiceProvider, IKeyedServiceProvider, IAsyncDisposable
    {
        private AsyncServiceScope? _scope;

        private IServiceProvider Provider => (_scope ??= parent.CreateChildScope()).ServiceProvider;

        public object? GetService(Type serviceType) => Provider.GetService(serviceType);

        public object? GetKeyedService(Type serviceType, object? serviceKey) => Provider.GetKeyedService(serviceType, serviceKey);

        public object GetRequiredKeyedService(Type serviceType, object? serviceKey) => Provider.GetRequiredKeyedService(serviceType, serviceKey);

        public ValueTask DisposeAsync() => _scope is { } scope ? scope.DisposeAsync() : ValueTask.CompletedTask;
    }
}
