using GraphQL;
using GraphQL.Execution;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>
/// Subscriptions whose events are resolved serially (like queries: scoped services allow one resolver at a time) in a
/// fresh child scope of the operation's scope per event, so no DbContext (and its change tracker) lives across events.
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
        await using var scope = parent.CreateChildScope();
        context.RequestServices = scope.ServiceProvider;
        return await base.ProcessDataAsync(context, node, value).ConfigureAwait(false);
    }
}
