using System.Net.WebSockets;
using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.GraphQL.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>graphql-transport-ws: takes WebSocket upgrades at the GraphQL path.</summary>
internal sealed class GraphQLWebSocketTransport<TSchema>(
    GraphQLStreamingOptions options, GraphQLHttpOptions httpOptions, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    : IGraphQLStreamingTransport where TSchema : ISchema
{
    public const string Subprotocol = "graphql-transport-ws";

    public bool CanHandle(HttpContext context) => context.WebSockets.IsWebSocketRequest;

    public async Task HandleAsync(HttpContext context)
    {
        var logger = loggers.CreateLogger("HeadlessLoyalty.GraphQL.Subscriptions.WebSocket");
        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(Subprotocol, StringComparer.Ordinal))
        {
            using var refused = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(options.CloseTimeout);
            try
            {
                await refused.CloseAsync((WebSocketCloseStatus)GraphQLCloseCodes.SubprotocolNotAcceptable, "Subprotocol not acceptable", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(Subprotocol).ConfigureAwait(false);
        var services = context.RequestServices;
        var connection = new GraphQLWebSocketConnection<TSchema>(socket, context, options, httpOptions.MaxRequestBodyBytes,
            services.GetRequiredService<IGraphQLTextSerializer>(), services.GetService<IGraphQLConnectionAuthenticator>(),
            lifetime.ApplicationStopping, logger);
        await connection.RunAsync().ConfigureAwait(false);
    }
}
