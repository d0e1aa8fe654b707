namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>The WebSocket close codes the graphql-transport-ws transport sends (table in the library README).</summary>
public static class GraphQLCloseCodes
{
    /// <summary>The server is stopping: reconnect (to another instance) and resume.</summary>
    public const int GoingAway = 1001;

    /// <summary>
    /// Slow consumer: the connection's outbound buffer overflowed. RFC 6455's "Try Again Later", which every client
    /// library treats as retryable (graphql-ws retries it): reconnect and resume from the last cursor received.
    /// </summary>
    public const int SlowConsumer = 1013;

    /// <summary>A message that is not valid JSON, has an unknown type, lacks a field or arrives from the wrong side.</summary>
    public const int BadRequest = 4400;

    /// <summary>A <c>subscribe</c> before the connection was acknowledged.</summary>
    public const int Unauthorized = 4401;

    /// <summary><c>connection_init</c> refused by the authenticator (invalid token, unknown program...).</summary>
    public const int Forbidden = 4403;

    /// <summary>The client did not request the <c>graphql-transport-ws</c> subprotocol.</summary>
    public const int SubprotocolNotAcceptable = 4406;

    /// <summary>No <c>connection_init</c> within <see cref="GraphQLStreamingOptions.ConnectionInitTimeout"/>.</summary>
    public const int ConnectionInitTimeout = 4408;

    /// <summary>A <c>subscribe</c> whose id is already in use by a running operation.</summary>
    public const int SubscriberAlreadyExists = 4409;

    /// <summary>A second <c>connection_init</c>.</summary>
    public const int TooManyInitialisationRequests = 4429;

    /// <summary>The server failed unexpectedly.</summary>
    public const int InternalServerError = 4500;
}
