using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Tier = HeadlessLoyalty.Api.Tiers.Tier;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>The member mutations' fields and refusals as the contract states them, read back through queries.</summary>
public abstract class MemberMutationTests(DatabaseFixture fixture)
{
    private const string MemberFields = """
        id email firstName lastName phone birthday { month day year } memberCode memberNumber enrolledAt updatedAt status blocked
        externalIds { store externalId } balance { approved pending total spent expired lifetime }
        """;

    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private async Task<(string Slug, HttpClient Admin)> ProgramAsync()
    {
        var slug = NewSlug("mm");
        await _app.CreateProgramAsync(slug);
        return (slug, _app.CreateClient(_app.MintToken(slug, Roles.Admin)));
    }

    private static async Task<JsonElement> MutateAsync(HttpClient client, string field, string inputType, object input, string selection = MemberFields)
    {
        using var result = await client.PostGraphQLAsync(
            $"mutation($input: {inputType}!) {{ {field}(input: $input) {{ member {{ {selection} }} userErrors {{ code message field }} }} }}", new { input });
        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        return result.Data.GetProperty(field).Clone();
    }

    private static IReadOnlyList<(string Code, string? Field)> UserErrors(JsonElement payload) =>
        [.. payload.GetProperty("userErrors").EnumerateArray().Select(e => (e.GetProperty("code").GetString()!, e.GetProperty("field").GetString()))];

    [DbFact]
    public async Task Enrolling_with_every_field_stores_and_returns_them()
    {
        var (slug, client) = await ProgramAsync();
        var input = new
        {
            email = "  Full.Member@Example.com ",
            firstName = "Ada",
            lastName = "Lovelace",
            phone = "+44 20 7946 0958",
            birthday = new { month = 2, day = 29, year = 2000 },
            externalIds = new[] { new { store = "shopify:acme", externalId = "cust-42" } },
        };

        var payload = await MutateAsync(client, "enrollMember", "EnrollMemberInput", input);

        Assert.Empty(UserErrors(payload));
        var member = payload.GetProperty("member");
        Assert.Equal("Full.Member@Example.com", member.GetProperty("email").GetString());
        Assert.Equal(("Ada", "Lovelace", "+44 20 7946 0958"),
            (member.GetProperty("firstName").GetString(), member.GetProperty("lastName").GetString(), member.GetProperty("phone").GetString()));
        Assert.Equal((2, 29, 2000), (member.GetProperty("birthday").GetProperty("month").GetInt32(),
            member.GetProperty("birthday").GetProperty("day").GetInt32(), member.GetProperty("birthday").GetProperty("year").GetInt32()));
        Assert.Equal([("shopify:acme", "cust-42")],
            member.GetProperty("externalIds").EnumerateArray().Select(x => (x.GetProperty("store").GetString(), x.GetProperty("externalId").GetString())));
        Assert.Equal(("ACTIVE", false, 1L), (member.GetProperty("status").GetString(), member.GetProperty("blocked").GetBoolean(), member.GetProperty("memberNumber").GetInt64()));
        Assert.Equal(8, member.GetProperty("memberCode").GetString()!.Length);
        Assert.All(member.GetProperty("balance").EnumerateObject(), p => Assert.Equal(0L, p.Value.GetInt64()));

        // Read back: the same member, as stored.
        using var read = await client.PostGraphQLAsync($"query($id: ID!) {{ member(by: {{ id: $id }}) {{ {MemberFields} }} }}",
            new { id = member.GetProperty("id").GetString() });
        Assert.Equal(member.GetRawText(), read.Data.GetProperty("member").GetRawText());
        var stored = await _app.WithTenantAsync(slug, db => db.MemberExternalIds.AsNoTracking().Select(x => x.Store + "=" + x.ExternalId).ToListAsync());
        Assert.Equal(["shopify:acme=cust-42"], stored);
    }

    [DbTheory]
    [InlineData("not-an-email", "email")]
    [InlineData("", "email")]
    public async Task Enrolling_with_an_invalid_email_is_an_INVALID_INPUT_user_error_naming_the_field(string email, string field)
    {
        var (slug, client) = await ProgramAsync();

        var payload = await MutateAsync(client, "enrollMember", "EnrollMemberInput", new { email });

        Assert.Equal([("INVALID_INPUT", field)], UserErrors(payload));
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("member").ValueKind);
        Assert.Equal(0, await _app.WithTenantAsync(slug, db => db.Members.CountAsync()));
    }

    [DbFact]
    public async Task Updating_with_an_idempotency_key_replays_and_refuses_a_different_input()
    {
        var (slug, client) = await ProgramAsync();
        var member = await _app.EnrollAsync(slug, "upd@example.com", "Old");
        var id = MemberId(member.Id);

        var first = await MutateAsync(client, "updateMember", "UpdateMemberInput", new { memberId = id, firstName = "New", idempotencyKey = "upd-1" });
        _app.Clock.Advance(TimeSpan.FromMinutes(3)); // a second run would stamp a later updatedAt
        var replay = await MutateAsync(client, "updateMember", "UpdateMemberInput", new { memberId = id, firstName = "New", idempotencyKey = "upd-1" });
        var reused = await MutateAsync(client, "updateMember", "UpdateMemberInput", new { memberId = id, firstName = "Other", idempotencyKey = "upd-1" });

        Assert.Empty(UserErrors(first));
        Assert.Equal("New", first.GetProperty("member").GetProperty("firstName").GetString());
        Assert.Equal(first.GetRawText(), replay.GetRawText());
        Assert.Equal([("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")], UserErrors(reused));
        var stored = await _app.WithTenantAsync(slug, db => db.Members.AsNoTracking().SingleAsync(m => m.Id == member.Id));
        Assert.Equal("New", stored.FirstName);
        Assert.Equal(DateTimeOffset.Parse(first.GetProperty("member").GetProperty("updatedAt").GetString()!), stored.UpdatedAt);
    }

    [DbFact]
    public async Task Updating_to_an_email_another_member_has_is_EMAIL_TAKEN()
    {
        var (slug, client) = await ProgramAsync();
        await _app.EnrollAsync(slug, "taken@example.com");
        var member = await _app.EnrollAsync(slug, "mine@example.com");

        var payload = await MutateAsync(client, "updateMember", "UpdateMemberInput", new { memberId = MemberId(member.Id), email = "TAKEN@example.com" });

        Assert.Equal([("EMAIL_TAKEN", "email")], UserErrors(payload));
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("member").ValueKind);
        Assert.Equal("mine@example.com", await _app.WithTenantAsync(slug, db => db.Members.Where(m => m.Id == member.Id).Select(m => m.Email).SingleAsync()));
    }

    [DbFact]
    public async Task A_blocked_member_shows_BLOCKED_cannot_receive_points_and_can_be_unblocked()
    {
        var (slug, client) = await ProgramAsync();
        var member = await _app.EnrollAsync(slug, "block@example.com");
        var id = MemberId(member.Id);
        const string adjust = "mutation($id: ID!, $key: String!) { adjustPoints(input: { memberId: $id, points: 10, reason: \"r\", idempotencyKey: $key }) { entry { id } userErrors { code field } } }";

        var blocked = await MutateAsync(client, "blockMember", "BlockMemberInput", new { memberId = id, reason = "fraud check" }, "status blocked");
        using var refused = await client.PostGraphQLAsync(adjust, new { id, key = "b-1" });
        var unblocked = await MutateAsync(client, "unblockMember", "UnblockMemberInput", new { memberId = id }, "status blocked");
        using var accepted = await client.PostGraphQLAsync(adjust, new { id, key = "b-2" });

        Assert.Equal(("BLOCKED", true), (blocked.GetProperty("member").GetProperty("status").GetString(), blocked.GetProperty("member").GetProperty("blocked").GetBoolean()));
        Assert.Equal(["MEMBER_BLOCKED"], refused.UserErrorCodes("adjustPoints"));
        Assert.Equal(("ACTIVE", false), (unblocked.GetProperty("member").GetProperty("status").GetString(), unblocked.GetProperty("member").GetProperty("blocked").GetBoolean()));
        Assert.Empty(accepted.UserErrorCodes("adjustPoints"));
        var entries = await _app.WithTenantAsync(slug, db => db.LedgerEntries.CountAsync(e => e.MemberId == member.Id));
        Assert.Equal(1, entries);
    }

    [DbFact]
    public async Task Tier_status_reports_the_tier_held_next_tier_and_progress_in_points_earned_this_year()
    {
        var (slug, client) = await ProgramAsync();
        var tiers = await _app.AddTiersAsync(slug, ("Base", 0), ("Silver", 100), ("Gold", 300));
        var none = await _app.EnrollAsync(slug, "zero@example.com");
        var middle = await _app.EnrollAsync(slug, "middle@example.com");
        var top = await _app.EnrollAsync(slug, "top@example.com");
        await _app.AdjustAsync(slug, middle.Id, 150);
        await _app.AdjustAsync(slug, top.Id, 300);

        async Task<JsonElement> TierOf(Guid memberId)
        {
            using var result = await client.PostGraphQLAsync(
                "query($id: ID!) { member(by: { id: $id }) { tier { current { id name rank threshold } nextTier { name } progressNeededToUpgrade progress metric } } }",
                new { id = MemberId(memberId) });
            Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
            return result.Data.GetProperty("member").GetProperty("tier").Clone();
        }

        var atZero = await TierOf(none.Id);
        var inMiddle = await TierOf(middle.Id);
        var atTop = await TierOf(top.Id);

        Assert.Equal(("Base", "Silver", 100m, 0m), (atZero.GetProperty("current").GetProperty("name").GetString(),
            atZero.GetProperty("nextTier").GetProperty("name").GetString(), atZero.GetProperty("progressNeededToUpgrade").GetDecimal(), atZero.GetProperty("progress").GetDecimal()));
        Assert.Equal("POINTS_EARNED", atZero.GetProperty("metric").GetString());
        Assert.Equal(TierId(tiers[1].Id), inMiddle.GetProperty("current").GetProperty("id").GetString());
        Assert.Equal(("Gold", 150m, 150m), (inMiddle.GetProperty("nextTier").GetProperty("name").GetString(),
            inMiddle.GetProperty("progressNeededToUpgrade").GetDecimal(), inMiddle.GetProperty("progress").GetDecimal()));
        Assert.Equal("Gold", atTop.GetProperty("current").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, atTop.GetProperty("nextTier").ValueKind);
        Assert.Equal(JsonValueKind.Null, atTop.GetProperty("progressNeededToUpgrade").ValueKind);
        Assert.Equal(300m, atTop.GetProperty("progress").GetDecimal());
    }

    [DbFact]
    public async Task Tiers_are_listed_lowest_first_with_their_definitions()
    {
        var (slug, client) = await ProgramAsync();
        // Added out of rank order: the list must sort, not echo insertion order.
        await _app.WithTenantAsync(slug, async db =>
        {
            db.Tiers.Add(new Tier { Id = Guid.NewGuid(), Name = "Gold", Rank = 2, Threshold = 1_000, EarningMultiplier = 1.5m, Description = "Top" });
            db.Tiers.Add(new Tier { Id = Guid.NewGuid(), Name = "Base", Rank = 0, Threshold = 0 });
            db.Tiers.Add(new Tier { Id = Guid.NewGuid(), Name = "Silver", Rank = 1, Threshold = 250, EarningMultiplier = 1.25m });
            await db.SaveChangesAsync();
        });

        using var result = await client.PostGraphQLAsync("{ tiers { name rank threshold earningMultiplier description } }");

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        var tiers = result.Data.GetProperty("tiers").EnumerateArray().ToList();
        Assert.Equal(["Base", "Silver", "Gold"], tiers.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([0L, 250L, 1_000L], tiers.Select(t => t.GetProperty("threshold").GetInt64()));
        Assert.Equal([1m, 1.25m, 1.5m], tiers.Select(t => t.GetProperty("earningMultiplier").GetDecimal()));
        Assert.Equal([null, null, "Top"], tiers.Select(t => t.GetProperty("description").GetString()));
    }
}

public sealed class MemberMutationTestsOnSqlite(SqliteFixture fixture) : MemberMutationTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MemberMutationTestsOnPostgres(PostgresFixture fixture) : MemberMutationTests(fixture), IClassFixture<PostgresFixture>;
