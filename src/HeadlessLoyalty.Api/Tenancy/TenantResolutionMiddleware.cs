using Microsoft.Net.Http.Headers;

namespace HeadlessLoyalty.Api.Tenancy;

/// <summary>
/// Runs after authentication. An authenticated request gets its program (tenant) and <see cref="Auth.Caller"/>;
/// a request that presents a bearer token that did not validate, names an unknown program, or is a storefront
/// token without a member of that program is refused with 401 and a GraphQL-shaped error, never served anonymously.
/// </summary>
internal sealed class TenantResolutionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            if (http.Request.Headers.ContainsKey(HeaderNames.Authorization))
            {
                await Refuse(http, new("INVALID_TOKEN", "The bearer token is missing, malformed, expired or not signed by a trusted issuer."));
                return;
            }
            await next(http);
            return;
        }

        if (await CallerResolution.ResolveAsync(user, http.RequestServices, http.RequestAborted) is { } refusal)
        {
            await Refuse(http, refusal);
            return;
        }
        await next(http);
    }

    private static Task Refuse(HttpContext http, CallerRefusal refusal)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return http.Response.WriteAsJsonAsync(new { errors = new[] { new { message = refusal.Message, extensions = new { code = refusal.Code } } } });
    }
}
