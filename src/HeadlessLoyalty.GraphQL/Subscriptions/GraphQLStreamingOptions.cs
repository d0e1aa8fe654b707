namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>Settings of the streaming transports (graphql-transport-ws and graphql-sse); bindable from configuration.</summary>
public sealed class GraphQLStreamingOptions
{
    /// <summary>
    /// How long a WebSocket may stay open without a <c>connection_init</c>; past it the socket is closed with 4408.
    /// </summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Interval of the server's keep-alive: a graphql-transport-ws <c>ping</c> message, or an SSE comment line.
    /// Keeps proxies from closing idle connections. <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Messages a connection may have waiting to be written. A consumer that falls further behind is cut off
    /// (WebSocket close <see cref="GraphQLCloseCodes.SlowConsumer"/>; SSE: a SLOW_CONSUMER error event and the end of
    /// the stream) so that it never holds memory or blocks anyone else; it reconnects and resumes from its cursor.
    /// </summary>
    public int OutboundBufferSize { get; set; } = 1000;

    /// <summary>
    /// How long the server waits for a close handshake (or a stalled write) before it aborts the connection.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
