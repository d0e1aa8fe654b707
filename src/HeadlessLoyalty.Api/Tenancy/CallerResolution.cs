using System.Security.Claims;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace HeadlessLoyalty.Api.Tenancy;

/// <summary>Why a validated token is still refused (401 over HTTP, close 4403 over a WebSocket).</summary>
public sealed record CallerRefusal(string Code, string Message);

/// <summary>
/// Turns a validated token's principal into the scope's tenant and <see cref="Caller"/>, or a refusal: the program
/// must exist, a storefront token must name a member of it. One rule for HTTP requests (the middleware) and
/// WebSocket connections (connection_init).
/// </summary>
public static class CallerResolution
{
    // A storefront token's member is checked once per minute and instance: checkout and POS reads stay one query.
    private static readonly TimeSpan MemberCheckLifetime = TimeSpan.FromMinutes(1);

    public static async Task<CallerRefusal?> ResolveAsync(ClaimsPrincipal user, IServiceProvider scope, CancellationToken cancellationToken)
    {
        var slug = user.FindFirst(LoyaltyClaims.Program)?.Value;
        var subject = user.FindFirst(LoyaltyClaims.Subject)?.Value;
        if (string.IsNullOrEmpty(slug) || string.IsNullOrEmpty(subject))
            return new("INVALID_TOKEN", "The token must carry 'sub' and 'program' claims.");
        var program = await scope.GetRequiredService<ProgramDirectory>().FindAsync(slug, cancellationToken);
        if (program is null)
            return new("UNKNOWN_PROGRAM", $"The token's program '{slug}' does not exist.");
        var roles = user.FindAll(LoyaltyClaims.Role).Select(c => c.Value).Where(Roles.IsKnown).Distinct().ToList();
        Guid? memberId = null;
        if (roles.Contains(Roles.Storefront))
        {
            if (!Guid.TryParse(user.FindFirst(LoyaltyClaims.MemberId)?.Value, out var parsed) || parsed == Guid.Empty)
                return new("INVALID_TOKEN", "A storefront token must carry a 'member_id' claim holding the member's id.");
            memberId = parsed;
        }

        scope.GetRequiredService<TenantContext>().Set(program.Id);
        if (memberId is { } id && !await MemberExistsAsync(scope, program.Id, id, cancellationToken))
            return new("INVALID_TOKEN", "The storefront token's member does not exist in its program.");
        Guid? storeConnection = Guid.TryParse(user.FindFirst(LoyaltyClaims.StoreConnection)?.Value, out var connection) ? connection : null;
        scope.GetRequiredService<Caller>().Set(program.Id, program.Slug, subject, roles, memberId, storeConnection);
        return null;
    }

    private static async Task<bool> MemberExistsAsync(IServiceProvider scope, Guid programId, Guid memberId, CancellationToken cancellationToken)
    {
        var cache = scope.GetRequiredService<IMemoryCache>();
        var key = (nameof(MemberExistsAsync), programId, memberId);
        if (cache.TryGetValue(key, out _))
            return true;
        // The tenant is set: the filter limits the look-up to the token's program.
        var db = scope.GetRequiredService<LoyaltyDbContext>();
        if (!await db.Members.AnyAsync(m => m.Id == memberId, cancellationToken))
            return false;
        cache.Set(key, true, MemberCheckLifetime);
        return true;
    }
}
