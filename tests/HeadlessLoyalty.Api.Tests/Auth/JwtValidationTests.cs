using System.Net;
using System.Security.Claims;
using System.Text;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tests.Cli;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HeadlessLoyalty.Api.Tests.Auth;

public sealed class JwtValidationTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private string Forge(string key = LoyaltyApiFactory.SigningKey, string audience = AuthOptions.LocalAudience,
        string issuer = AuthOptions.LocalIssuer, params Claim[] claims) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims.Length > 0 ? claims : [new("sub", "mallory"), new("program", "jwt-tests"), new("role", "admin")]),
            IssuedAt = _app.Clock.GetUtcNow().UtcDateTime,
            NotBefore = _app.Clock.GetUtcNow().UtcDateTime,
            Expires = _app.Clock.GetUtcNow().UtcDateTime.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    private async Task<(HttpStatusCode Status, string? Code)> Probe(string token)
    {
        await EnsureProgram();
        var response = await _app.CreateClient(token).GetAsync(CallerProbe.Path);
        return (response.StatusCode, response.IsSuccessStatusCode ? null : await CliTests.ErrorCode(response));
    }

    private async Task EnsureProgram()
    {
        if (await _app.WithScopeAsync(sp => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
                .GetRequiredService<HeadlessLoyalty.Api.Tenancy.ProgramDirectory>(sp).FindAsync("jwt-tests")) is null)
            await _app.CreateProgramAsync("jwt-tests");
    }

    [Fact]
    public async Task A_token_signed_with_the_local_key_is_accepted()
    {
        Assert.Equal((HttpStatusCode.OK, null), await Probe(Forge()));
    }

    [Fact]
    public async Task A_token_with_a_wrong_signature_is_refused()
    {
        Assert.Equal((HttpStatusCode.Unauthorized, "INVALID_TOKEN"), await Probe(Forge(key: "another-key-of-at-least-32-bytes-abcdefghijkl")));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        Assert.Equal((HttpStatusCode.Unauthorized, "INVALID_TOKEN"), await Probe(Forge(audience: "someone-else")));
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        Assert.Equal((HttpStatusCode.Unauthorized, "INVALID_TOKEN"), await Probe(Forge(issuer: "https://evil.example")));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        await EnsureProgram();
        var token = _app.MintToken("jwt-tests", Roles.Admin, lifetime: TimeSpan.FromMinutes(10));
        var fresh = await Probe(token);

        _app.Clock.Advance(TimeSpan.FromMinutes(15));
        var expired = await Probe(token);

        Assert.Equal((HttpStatusCode.OK, null), fresh);
        Assert.Equal((HttpStatusCode.Unauthorized, "INVALID_TOKEN"), expired);
    }

    [Fact]
    public async Task A_storefront_token_without_a_member_id_is_refused()
    {
        var token = Forge(claims: [new("sub", "shopper"), new("program", "jwt-tests"), new("role", "storefront")]);

        Assert.Equal((HttpStatusCode.Unauthorized, "INVALID_TOKEN"), await Probe(token));
    }

    [Fact]
    public async Task Claims_are_kept_as_named_and_give_the_caller_its_program_roles_and_actor()
    {
        await EnsureProgram();
        var memberId = await _app.WithTenantAsync("jwt-tests", async db =>
            (await HeadlessLoyalty.Api.Members.MemberOperations.EnrollAsync(db, _app.Clock, "test", new($"till-{Guid.NewGuid():N}@example.com"))).Member.Id);
        var token = Forge(claims: [new("sub", "till-7"), new("program", "jwt-tests"), new("role", "pos"), new("role", "storefront"), new("member_id", memberId.ToString())]);

        var caller = await _app.CreateClient(token).GetFromJsonAsync<CallerView>(CallerProbe.Path);

        Assert.True(caller!.IsAuthenticated);
        Assert.Equal(("jwt-tests", "till-7", memberId), (caller.ProgramSlug, caller.Subject, caller.MemberId));
        Assert.Equal(["pos", "storefront"], caller.Roles);
        Assert.Equal("pos:till-7", caller.Actor);
        Assert.Equal(caller.ProgramId, caller.TenantProgramId);
    }

    [Fact]
    public async Task A_request_without_a_token_is_anonymous_with_no_tenant()
    {
        var caller = await _app.CreateClient().GetFromJsonAsync<CallerView>(CallerProbe.Path);

        Assert.False(caller!.IsAuthenticated);
        Assert.Null(caller.TenantProgramId);
        Assert.Equal("anonymous", caller.Actor);
    }
}
