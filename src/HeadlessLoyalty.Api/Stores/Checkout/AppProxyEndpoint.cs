using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Tenancy;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Stores.Checkout;

/// <summary>
/// <c>GET /proxy/shopify/{connection}/token</c>: the checkout snippet's call through the Shopify app proxy (the merchant
/// sets the app's proxy URL to <c>{PublicBaseUrl}/proxy/shopify/{connection}</c>). Shopify signs the query
/// (<see cref="AppProxySignature"/>) with the app's client secret and names the logged-in customer; we answer with a
/// short-lived storefront token for the member linked to that customer on this store. Answers are JSON
/// <c>{code, message}</c> on refusal:
/// <list type="bullet">
/// <item>404 STORE_CONNECTION_NOT_FOUND: no Shopify connection with that id; 410 STORE_DISCONNECTED.</item>
/// <item>401 APP_PROXY_SIGNATURE_INVALID: unsigned, a signature that does not match, a stale timestamp (more than
/// <see cref="CheckoutOptions.ProxyTimestampSkew"/> away), or a <c>shop</c> that is not this connection's.</item>
/// <item>401 APP_PROXY_LOGGED_OUT: <c>logged_in_customer_id</c> empty (the shopper is not logged in).</item>
/// <item>404 STORE_CUSTOMER_UNKNOWN: no member is linked to that customer on this store (the customers webhook links them).</item>
/// <item>501 CHECKOUT_TOKENS_UNAVAILABLE: the server trusts an external authority (Auth:Authority), so it cannot mint tokens.</item>
/// </list>
/// </summary>
public static class AppProxyEndpoint
{
    public static WebApplication MapShopifyAppProxy(this WebApplication app)
    {
        app.MapGet("/proxy/shopify/{connection}/token", (HttpContext http, string connection) => TokenAsync(http, connection)).ExcludeFromDescription();
        return app;
    }

    private static IResult Refuse(int status, string code, string message) => Results.Json(new { code, message }, statusCode: status);

    public static async Task<IResult> TokenAsync(HttpContext http, string connection)
    {
        http.Response.Headers.CacheControl = "no-store";
        var ct = http.RequestAborted;
        var services = http.RequestServices;
        if (!Guid.TryParse(connection, out var connectionId)
            || await services.GetRequiredService<StoreWebhookTargets>().FindAsync(connectionId, StorePlatform.Shopify, ct) is not { } target)
            return Refuse(404, ErrorCodes.StoreConnectionNotFound, "No such Shopify store connection.");
        if (target.Status == StoreConnectionStatus.Disconnected || target.WebhookSecret is null)
            return Refuse(410, ErrorCodes.StoreDisconnected, "This store connection is disconnected.");

        var options = services.GetRequiredService<IOptions<CheckoutOptions>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();
        var query = http.Request.Query.ToDictionary(q => q.Key, q => (IReadOnlyList<string>)[.. q.Value.Select(v => v ?? "")]);
        var verdict = AppProxySignature.Verify(query, target.WebhookSecret, clock.GetUtcNow(), options.ProxyTimestampSkew);
        if (verdict != AppProxyVerdict.Valid)
            return Refuse(401, ErrorCodes.AppProxySignatureInvalid, verdict switch
            {
                AppProxyVerdict.Unsigned => "The request carries no app proxy signature: call through the shop's app proxy.",
                AppProxyVerdict.Stale => $"The app proxy timestamp is more than {options.ProxyTimestampSkew.TotalSeconds:0} seconds away from our clock.",
                _ => "The app proxy signature does not match: the request was not signed with this connection's app client secret.",
            });
        var shop = query.GetValueOrDefault("shop") is [var s] ? s : "";
        var url = new Uri(target.Url);
        if (!shop.Equals(url.Host, StringComparison.OrdinalIgnoreCase) && !shop.Equals(url.Authority, StringComparison.OrdinalIgnoreCase))
            return Refuse(401, ErrorCodes.AppProxySignatureInvalid, "The app proxy request names another shop than this connection's.");
        var customerId = query.GetValueOrDefault("logged_in_customer_id") is [var id] ? id.Trim() : "";
        if (customerId.Length == 0)
            return Refuse(401, ErrorCodes.AppProxyLoggedOut, "The shopper is not logged in: log in to see and use points.");
        if (services.GetRequiredService<IOptions<AuthOptions>>().Value.UsesExternalAuthority)
            return Refuse(501, ErrorCodes.CheckoutTokensUnavailable, "This server trusts an external token authority, so it does not mint checkout tokens.");

        services.GetRequiredService<TenantContext>().Set(target.ProgramId);
        var db = services.GetRequiredService<LoyaltyDbContext>();
        var member = await db.MemberExternalIds.AsNoTracking()
            .Where(x => x.Store == target.StoreKey && x.ExternalId == customerId).Select(x => (Guid?)x.MemberId).FirstOrDefaultAsync(ct);
        if (member is not { } memberId)
            return Refuse(404, ErrorCodes.StoreCustomerUnknown, "No member is linked to this customer on this store yet.");
        var slug = (await db.CurrentProgramAsync(ct)).Slug;
        var expiresAt = clock.GetUtcNow() + options.MemberTokenLifetime;
        var token = services.GetRequiredService<LocalTokenIssuer>().Mint(slug, [Roles.Storefront], $"shopify-customer:{customerId}", memberId, options.MemberTokenLifetime);
        return Results.Json(new
        {
            token,
            expiresAt = expiresAt.UtcDateTime,
            memberId = GlobalId.Encode(MemberType.TypeName, memberId.ToString()),
            connectionId = GlobalId.Encode(StoreConnectionType.TypeName, connectionId.ToString()),
        });
    }
}
