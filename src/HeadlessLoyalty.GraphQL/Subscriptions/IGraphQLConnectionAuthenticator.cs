using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace HeadlessLoyalty.GraphQL.Subscriptions;

/// <summary>
/// Decides who a WebSocket connection is, from its <c>connection_init</c> payload (browsers cannot set headers on a
/// WebSocket, so the token travels there). Implemented by the host and registered as a service; without one, every
/// connection is accepted as the upgrade request's <see cref="HttpContext.User"/>.
/// </summary>
public interface IGraphQLConnectionAuthenticator
{
    /// <summary>
    /// Runs once per connection, in the connection's service scope (<see cref="GraphQLConnectionInit.Services"/>, the
    /// upgrade request's scope, alive as long as the socket). Per-caller scoped state set there (a tenant, a caller)
    /// is copied into every operation's scope by the registered <see cref="IGraphQLScopeInitializer"/>s.
    /// </summary>
    ValueTask<GraphQLConnectionInitResult> AuthenticateAsync(GraphQLConnectionInit init);
}

/// <summary>A <c>connection_init</c> to judge.</summary>
/// <param name="Payload">The message's <c>payload</c>: a JSON object, or null when the client sent none.</param>
/// <param name="HttpContext">The upgrade request (headers, connection info, its already authenticated user).</param>
/// <param name="Services">The connection's service scope.</param>
public sealed record GraphQLConnectionInit(
    JsonElement? Payload, HttpContext HttpContext, IServiceProvider Services, CancellationToken CancellationToken);

/// <summary>Accept (with the connection's user and an optional <c>connection_ack</c> payload) or refuse (close 4403).</summary>
public sealed class GraphQLConnectionInitResult
{
    private GraphQLConnectionInitResult(ClaimsPrincipal? user, object? ackPayload, string? refusal) =>
        (User, AckPayload, Refusal) = (user, ackPayload, refusal);

    /// <summary>The user every operation of the connection executes as (authorization rule, persisted-only roles).</summary>
    public ClaimsPrincipal? User { get; }

    /// <summary>Serialized as the <c>connection_ack</c> payload when not null.</summary>
    public object? AckPayload { get; }

    /// <summary>Set when refused: the close reason (truncated to the 123 bytes a close frame allows).</summary>
    public string? Refusal { get; }

    public bool Accepted => Refusal is null;

    public static GraphQLConnectionInitResult Accept(ClaimsPrincipal user, object? ackPayload = null) =>
        new(user ?? throw new ArgumentNullException(nameof(user)), ackPayload, null);

    public static GraphQLConnectionInitResult Refuse(string reason) =>
        new(null, null, string.IsNullOrWhiteSpace(reason) ? "Forbidden" : reason);
}
