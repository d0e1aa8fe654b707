using GraphQL;
using Lifetime = GraphQL.DI.ServiceLifetime;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQL.PersistedDocuments;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using HeadlessLoyalty.GraphQL.Caching;
using HeadlessLoyalty.GraphQL.Errors;
using HeadlessLoyalty.GraphQL.Http;
using HeadlessLoyalty.GraphQL.Ide;
using HeadlessLoyalty.GraphQL.Limits;
using HeadlessLoyalty.GraphQL.PersistedDocuments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HeadlessLoyalty.GraphQL;

public static class GraphQLHttpRegistration
{
    /// <summary>
    /// Adds the HTTP transport's execution pipeline: validated-document cache, persisted documents (with the
    /// persisted-only role switch), stable error codes, depth/complexity limits, execution timeout, serial execution.
    /// Options come from <c>services.AddOptions&lt;GraphQLHttpOptions&gt;().BindConfiguration(...)</c> and/or <paramref name="configure"/>.
    /// </summary>
    public static IGraphQLBuilder AddHttpTransport(this IGraphQLBuilder builder, Action<GraphQLHttpOptions>? configure = null)
    {
        builder.Services.Configure<GraphQLHttpOptions>((options, _) => configure?.Invoke(options));

        builder.Services.Register<ValidatedDocumentCache>(Lifetime.Singleton);
        builder.Services.Register<IConfigureExecution>(sp => sp.GetRequiredService<ValidatedDocumentCache>(), Lifetime.Singleton);
        builder.Services.Register<IDocumentValidator, CachedDocumentValidator>(Lifetime.Singleton);

        builder.Services.Register<PersistedDocumentStore>(Lifetime.Singleton);
        builder.Services.Register<IPersistedDocumentLoader>(sp => sp.GetRequiredService<PersistedDocumentStore>(), Lifetime.Singleton);
        builder.UsePersistedDocuments(o => o.AllowOnlyPersistedDocuments = false);
        builder.Services.Register<IConfigureExecution, PersistedOnlyRolesGuard>(Lifetime.Singleton);

        builder.AddErrorInfoProvider(sp => new TransportErrorInfoProvider(sp.GetRequiredService<GraphQLHttpOptions>()));
        builder.AddComplexityAnalyzer((complexity, sp) => ComplexityLimits.Configure(complexity, sp.GetRequiredService<GraphQLHttpOptions>()));
        builder.ConfigureExecutionOptions(execution =>
        {
            var options = execution.RequestServices?.GetService<GraphQLHttpOptions>() ?? new GraphQLHttpOptions();
            execution.Timeout = options.ExecutionTimeout;
            execution.TimeoutAction = TimeoutAction.ReturnTimeoutError;

            // Clients get no details (see TransportErrorInfoProvider); the server log gets all of them.
            var previous = execution.UnhandledExceptionDelegate;
            execution.UnhandledExceptionDelegate = async context =>
            {
                // An ExecutionError only gets here from a subscription source's OnError: a deliberate, typed end of
                // the stream that the streaming transports send to the client as is (not a server fault to log).
                if (context.OriginalException is ExecutionError)
                {
                    await previous(context).ConfigureAwait(false);
                    return;
                }
                execution.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("HeadlessLoyalty.GraphQL")
                    .LogError(context.OriginalException, "Unhandled exception in GraphQL execution: {ErrorMessage}", context.ErrorMessage);
                await previous(context).ConfigureAwait(false);
            };
        });

        // Queries run serially too: resolvers share the request's scoped DbContext, which allows one operation at a
        // time. Batching is unaffected: SerialExecutionStrategy (like the parallel one) parks nodes whose resolver
        // returned an IDataLoaderResult and completes them after their siblings, so one batch serves a whole list
        // (proved by SerialExecutionTests).
        builder.AddExecutionStrategy(SerialExecutionStrategy.Instance, OperationType.Query);
        return builder;
    }

    /// <summary>Maps GraphQL over HTTP (GET and POST) for <typeparamref name="TSchema"/>, plus the IDE's assets at <c>{pattern}/ide/</c>.</summary>
    public static IEndpointConventionBuilder MapGraphQLHttp<TSchema>(this IEndpointRouteBuilder endpoints, string pattern = "/graphql")
        where TSchema : ISchema
    {
        var group = endpoints.MapGroup(pattern);
        group.MapGet(IdeAssets.Route, IdeAssets.Serve).ExcludeFromDescription();
        group.MapMethods("", [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch],
            GraphQLHttpHandler<TSchema>.HandleAsync).ExcludeFromDescription();
        return group;
    }
}
