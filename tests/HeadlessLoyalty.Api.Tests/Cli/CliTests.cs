using System.Net;
using HeadlessLoyalty.Api.Cli;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;

namespace HeadlessLoyalty.Api.Tests.Cli;

/// <summary>Verbs run against the same service provider (configuration, database, key) as the test server.</summary>
public sealed class CliTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private async Task<(int Exit, string Out, string Error)> Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await CliExtensions.RunCliAsync(_app.Services, args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private Task<int> ProgramCount() => _app.WithTenantlessDb(db => db.Programs.CountAsync());

    [Theory]
    [InlineData("Bad Slug", "USD", "UTC", "INVALID_SLUG")]
    [InlineData("-leading", "USD", "UTC", "INVALID_SLUG")]
    [InlineData("good-slug", "ABC", "UTC", "INVALID_CURRENCY")]
    [InlineData("good-slug", "usd", "UTC", "INVALID_CURRENCY")]
    [InlineData("good-slug", "EUR", "Mars/Olympus", "INVALID_TIME_ZONE")]
    public async Task Program_create_refuses_bad_input_with_a_typed_error_and_changes_nothing(string slug, string currency, string zone, string code)
    {
        var before = await ProgramCount();

        var (exit, _, error) = await Run("program", "create", slug, "--name", "Shop", "--currency", currency, "--time-zone", zone);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error {code}:", error);
        Assert.Equal(before, await ProgramCount());
    }

    [Fact]
    public async Task Program_create_then_list_shows_the_program_and_a_second_create_is_refused()
    {
        var (exit, output, _) = await Run("program", "create", "cli-shop", "--name", "CLI Shop", "--currency", "EUR", "--time-zone", "Europe/Paris");
        var again = await Run("program", "create", "cli-shop", "--name", "Other", "--currency", "EUR");
        var list = await Run("program", "list");

        Assert.Equal(0, exit);
        Assert.Contains("cli-shop", output);
        Assert.Equal(1, again.Exit);
        Assert.StartsWith("error SLUG_TAKEN:", again.Error);
        Assert.Contains(list.Out.Split('\n'), l => l.StartsWith("cli-shop") && l.Contains("EUR") && l.Contains("Europe/Paris") && l.Contains("CLI Shop"));
    }

    [Fact]
    public async Task A_minted_token_follows_the_claims_contract_and_is_accepted_by_the_server()
    {
        var program = await _app.CreateProgramAsync("cli-token");

        var (exit, output, _) = await Run("token", "--program", "cli-token", "--role", "admin", "--subject", "alice", "--lifetime", "2h");
        var token = output.Trim();
        var jwt = new JsonWebToken(token);
        var caller = await _app.CreateClient(token).GetFromJsonAsync<CallerView>(CallerProbe.Path);

        Assert.Equal(0, exit);
        Assert.Equal(("alice", "cli-token", "admin"), (jwt.Subject, jwt.GetClaim("program").Value, jwt.GetClaim("role").Value));
        Assert.Equal(LoyaltyApiFactory.Epoch.UtcDateTime.AddHours(2), jwt.ValidTo);
        Assert.Equal(program.Id, caller!.ProgramId);
        Assert.Equal(program.Id, caller.TenantProgramId);
        Assert.Equal("admin:alice", caller.Actor);
    }

    [Fact]
    public async Task A_storefront_token_names_its_member_found_by_email()
    {
        await _app.CreateProgramAsync("cli-store");
        var memberId = Guid.NewGuid();
        await _app.WithTenantAsync("cli-store", db =>
        {
            db.Members.Add(new() { Id = memberId, Email = "Shopper@Example.com", NormalizedEmail = "shopper@example.com", MemberCode = "SHOP1", MemberNumber = 1, EnrolledAt = LoyaltyApiFactory.Epoch });
            return db.SaveChangesAsync();
        });

        var withMember = await Run("token", "--program", "cli-store", "--role", "storefront", "--member", "shopper@example.com");
        var withoutMember = await Run("token", "--program", "cli-store", "--role", "storefront");
        var caller = await _app.CreateClient(withMember.Out.Trim()).GetFromJsonAsync<CallerView>(CallerProbe.Path);

        Assert.Equal(0, withMember.Exit);
        Assert.Equal(memberId, caller!.MemberId);
        // The member code is matched like everywhere else: case-insensitive, dashes and spaces ignored.
        var byCode = await Run("token", "--program", "cli-store", "--role", "storefront", "--member", "sh-op1");
        var byCodeCaller = await _app.CreateClient(byCode.Out.Trim()).GetFromJsonAsync<CallerView>(CallerProbe.Path);
        Assert.Equal(memberId, byCodeCaller!.MemberId);
        Assert.Equal(1, withoutMember.Exit);
        Assert.StartsWith("error MEMBER_REQUIRED:", withoutMember.Error);
    }

    [Theory]
    [InlineData("nowhere", "admin", "UNKNOWN_PROGRAM")]
    [InlineData("cli-refuse", "superuser", "UNKNOWN_ROLE")]
    public async Task Token_refuses_an_unknown_program_or_role(string program, string role, string code)
    {
        if (program != "nowhere")
            await _app.CreateProgramAsync(program);

        var (exit, output, error) = await Run("token", "--program", program, "--role", role);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"error {code}:", error);
    }

    [Fact]
    public async Task A_token_for_a_program_that_does_not_exist_is_refused_by_the_server_with_401()
    {
        var client = _app.CreateClient(_app.MintToken("ghost-program", "admin"));

        var response = await client.GetAsync(CallerProbe.Path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNKNOWN_PROGRAM", await ErrorCode(response));
    }

    [Fact]
    public async Task An_unknown_command_prints_usage_and_exits_2()
    {
        var (exit, _, error) = await Run("frobnicate");

        Assert.Equal(2, exit);
        Assert.Contains("program create", error);
    }

    internal static async Task<string?> ErrorCode(HttpResponseMessage response)
    {
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();
    }
}
