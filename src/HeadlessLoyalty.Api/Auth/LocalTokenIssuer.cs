using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HeadlessLoyalty.Api.Auth;

/// <summary>Signs tokens with the local key, following the claims contract (used by the <c>token</c> verb and tests).</summary>
public sealed class LocalTokenIssuer(LocalSigningKey key, TimeProvider clock)
{
    public string Mint(string programSlug, IEnumerable<string> roles, string subject, Guid? memberId = null, TimeSpan? lifetime = null)
    {
        var claims = new List<Claim> { new(LoyaltyClaims.Subject, subject), new(LoyaltyClaims.Program, programSlug) };
        claims.AddRange(roles.Select(r => new Claim(LoyaltyClaims.Role, r)));
        if (memberId is { } id)
            claims.Add(new(LoyaltyClaims.MemberId, id.ToString()));
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.LocalIssuer,
            Audience = AuthOptions.LocalAudience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
