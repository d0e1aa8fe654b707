using System.Security.Claims;
using System.Text.Json;
using HeadlessLoyalty.Api.Tenancy;
using HeadlessLoyalty.GraphQL.Subscriptions;
using Microsoft.AspNetCore.Authentication;

namespace HeadlessLoyalty.Api.Auth;

/// <summary>
/// Authenticates a graphql-transport-ws connection from its connection_init payload, <c>{"Authorization": "Bearer &lt;jwt&gt;"}</c>
/// or <c>{"token": "&lt;jwt&gt;"}</c>, with the same bearer authentication as HTTP (the app's JWTs: keys, issuer, audience,
/// lifetime on the app's clock; Shopify POS session tokens through their own handler)
/// and the same tenant resolution as an HTTP request; a refusal closes the socket with 4403 and "CODE: message".
/// Without a token in the payload the connection is what the upgrade request was (a header-authenticated client,
/// or anonymous: operations then meet the schema's authorization rule like anonymous HTTP requests).
/// </summary>
internal sealed class ConnectionInitAuthenticator(IServiceScopeFactory scopes) : IGraphQLConnectionAuthenticator
{
    public async ValueTask<GraphQLConnectionInitResult> AuthenticateAsync(GraphQLConnectionInit init)
    {
        if (!TryReadToken(init.Payload, out var token))
            return Refuse(new("INVALID_TOKEN", "The connection_init payload's Authorization must be 'Bearer <token>' and token a string."));
        if (token is null)
            return GraphQLConnectionInitResult.Accept(init.HttpContext.User);
        if (init.HttpContext.User.Identity?.IsAuthenticated == true)
            return Refuse(new("INVALID_TOKEN", "The upgrade request was already authenticated: send the token in one place only."));

        var user = await ValidateAsync(token, init.CancellationToken);
        if (user is null)
            return Refuse(new("INVALID_TOKEN", "The bearer token is malformed, expired or not signed by a trusted issuer."));
        // The connection's scope (the upgrade request's) gets the tenant and caller; operation scopes copy them.
        if (await CallerResolution.ResolveAsync(user, init.Services, init.CancellationToken) is { } refusal)
            return Refuse(refusal);
        return GraphQLConnectionInitResult.Accept(user);
    }

    /// <summary>
    /// Runs the app's bearer authentication on a synthetic request carrying the token, in a scope of its own (a scope
    /// caches its handler per scheme, and the upgrade request's already authenticated without a token).
    /// </summary>
    private async Task<ClaimsPrincipal?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = cancellationToken };
        context.Request.Headers.Authorization = "Bearer " + token;
        // The default authenticate scheme, as for an HTTP request: the app's JWT bearer, or the selector that sends a
        // Shopify POS session token to its own handler when store connections register it.
        var result = await context.AuthenticateAsync();
        return result.Succeeded ? result.Principal : null;
    }

    /// <summary>False when a token field is present but malformed; token null when the payload carries none.</summary>
    private static bool TryReadToken(JsonElement? payload, out string? token)
    {
        token = null;
        if (payload is not { ValueKind: JsonValueKind.Object } body)
            return true;
        foreach (var property in body.EnumerateObject())
        {
            if (property.NameEquals("token"))
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                    return false;
                token = property.Value.GetString();
            }
            else if (property.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                    return false;
                var value = property.Value.GetString()!;
                if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                    return false;
                token = value["Bearer ".Length..].Trim();
            }
        }
        return token is null || token.Length > 0;
    }

    private static GraphQLConnectionInitResult Refuse(CallerRefusal refusal) =>
        GraphQLConnectionInitResult.Refuse($"{refusal.Code}: {refusal.Message}");
}
