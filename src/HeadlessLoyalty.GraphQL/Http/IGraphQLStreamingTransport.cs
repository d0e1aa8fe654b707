using Microsoft.AspNetCore.Http;

namespace HeadlessLoyalty.GraphQL.Http;

/// <summary>
/// Seam for streaming transports at the same path (graphql-sse for <c>Accept: text/event-stream</c>, a WebSocket
/// upgrade). Registered implementations are asked first; when none claims the request, plain HTTP handles it and
/// refuses subscriptions with SUBSCRIPTION_TRANSPORT_REQUIRED.
/// </summary>
public interface IGraphQLStreamingTransport
{
    bool CanHandle(HttpContext context);

    Task HandleAsync(HttpContext context);
}
