using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;

namespace HeadlessLoyalty.Api.Tenancy;

/// <summary>
/// Runs after authentication. An authenticated request gets its program (tenant) and <see cref="Caller"/>;
/// a request that presents a bearer token that did not validate, names an unknown program, or is a storefront
/// token without a member of that program is refused with 401 and a GraphQL-shaped error, never served anonymously.
/// </summary>
internal sealed class TenantResolutionMiddleware(RequestDelegate next)
{
    // A storefront token's member is checked once per minute and instance: checkout and POS reads stay one query.
    private static readonly TimeSpan MemberCheckLifetime = TimeSpan.FromMinutes(1);

    public async Task InvokeAsync(HttpContext http, ProgramDirectory programs, TenantContext tenant, Caller caller, IMemoryCache cache)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            if (http.Request.Headers.ContainsKey(HeaderNames.Authorization))
            {
                await Refuse(http, "INVALID_TOKEN", "The bearer token is missing, malformed, expired or not signed by a trusted issuer.");
                return;
            }
            await next(http);
            return;
        }

        var slug = user.FindFirst(LoyaltyClaims.Program)?.Value;
        var subject = user.FindFirst(LoyaltyClaims.Subject)?.Value;
        if (string.IsNullOrEmpty(slug) || string.IsNullOrEmpty(subject))
        {
            await Refuse(http, "INVALID_TOKEN", "The token must carry 'sub' and 'program' claims.");
            return;
        }
        var program = await programs.FindAsync(slug, http.RequestAborted);
        if (program is null)
        {
            await Refuse(http, "UNKNOWN_PROGRAM", $"The token's program '{slug}' does not exist.");
            return;
        }
        var roles = user.FindAll(LoyaltyClaims.Role).Select(c => c.Value).Where(Roles.IsKnown).Distinct().ToList();
        Guid? memberId = null;
        if (roles.Contains(Roles.Storefront))
        {
            if (!Guid.TryParse(user.FindFirst(LoyaltyClaims.MemberId)?.Value, out var parsed) || parsed == Guid.Empty)
            {
                await Refuse(http, "INVALID_TOKEN", "A storefront token must carry a 'member_id' claim holding the member's id.");
                return;
            }
            memberId = parsed;
        }

        tenant.Set(program.Id);
        if (memberId is { } id && !await MemberExistsAsync(http, cache, program.Id, id))
        {
            await Refuse(http, "INVALID_TOKEN", "The storefront token's member does not exist in its program.");
            return;
        }
        caller.Set(program.Id, program.Slug, subject, roles, memberId);
        await next(http);
    }

    private static async Task<bool> MemberExistsAsync(HttpContext http, IMemoryCache cache, Guid programId, Guid memberId)
    {
        var key = (nameof(MemberExistsAsync), programId, memberId);
        if (cache.TryGetValue(key, out _))
            return true;
        // The tenant is set: the filter limits the look-up to the token's program.
        var db = http.RequestServices.GetRequiredService<LoyaltyDbContext>();
        if (!await db.Members.AnyAsync(m => m.Id == memberId, http.RequestAborted))
            return false;
        cache.Set(key, true, MemberCheckLifetime);
        return true;
    }

    private static Task Refuse(HttpContext http, string code, string message)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return http.Response.WriteAsJsonAsync(new { errors = new[] { new { message, extensions = new { code } } } });
    }
}
