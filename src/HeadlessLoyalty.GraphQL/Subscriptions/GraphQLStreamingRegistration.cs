using GraphQL;
using GraphQL.DI;
using GraphQL.Types;
using GraphQLParser.AST;
using HeadlessLoyalty.GraphQL.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Lifetime = GraphQL.DI.ServiceLifetime;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

public static class GraphQLStreamingRegistration
{
    /// <summary>
    /// graphql-transport-ws over WebSocket at the endpoint of <c>MapGraphQLHttp&lt;TSchema&gt;</c>. Also adds the
    /// WebSocket middleware (first in the pipeline) and the subscription execution strategy. Authenticate connections
    /// by registering an <see cref="IGraphQLConnectionAuthenticator"/>.
    /// </summary>
    public static IGraphQLBuilder AddWebSocketTransport<TSchema>(this IGraphQLBuilder builder, Action<GraphQLStreamingOptions>? configure = null)
        where TSchema : ISchema
    {
        AddStreamingCore(builder, configure);
        builder.Services.TryRegister<IStartupFilter, WebSocketsStartupFilter>(Lifetime.Singleton, RegistrationCompareMode.ServiceTypeAndImplementationType);
        builder.Services.Register<IGraphQLStreamingTransport, GraphQLWebSocketTransport<TSchema>>(Lifetime.Singleton);
        return builder;
    }

    /// <summary>graphql-sse (distinct-connections mode) at the endpoint of <c>MapGraphQLHttp&lt;TSchema&gt;</c>.</summary>
    public static IGraphQLBuilder AddServerSentEventsTransport<TSchema>(this IGraphQLBuilder builder, Action<GraphQLStreamingOptions>? configure = null)
        where TSchema : ISchema
    {
        AddStreamingCore(builder, configure);
        builder.Services.Register<IGraphQLStreamingTransport, ServerSentEventsTransport<TSchema>>(Lifetime.Singleton);
        return builder;
    }

    private static void AddStreamingCore(IGraphQLBuilder builder, Action<GraphQLStreamingOptions>? configure)
    {
        builder.Services.Configure<GraphQLStreamingOptions>((options, _) => configure?.Invoke(options));
        builder.Services.TryRegister<GraphQLOutboundFlow, GraphQLOutboundFlow>(Lifetime.Scoped);
        // Serial child resolution and a child scope per event (see ScopePerEventSubscriptionStrategy). Registering it
        // twice is harmless: the last registration for an operation type wins.
        builder.AddExecutionStrategy(new ScopePerEventSubscriptionStrategy(), OperationType.Subscription);
    }

    private sealed class WebSocketsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWebSockets();
            next(app);
        };
    }
}
