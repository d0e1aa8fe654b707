using System.Security.Claims;

namespace HeadlessLoyalty.GraphQL.Tests.Support;

internal static class TestUsers
{
    public static ClaimsPrincipal Anonymous => new(new ClaimsIdentity());

    public static ClaimsPrincipal Authenticated(params Claim[] claims) => new(new ClaimsIdentity(claims, "test"));

    public static ClaimsPrincipal WithRole(string role) => Authenticated(new Claim(ClaimTypes.Role, role));
}
