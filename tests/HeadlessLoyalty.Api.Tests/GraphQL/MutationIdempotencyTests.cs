using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>Idempotent replays, overdraft refusals and the admin-only overdraft override, through GraphQL.</summary>
public abstract class MutationIdempotencyTests(DatabaseFixture fixture)
{
    private const string Adjust = """
        mutation($input: AdjustPointsInput!) {
          adjustPoints(input: $input) {
            member { id }
            entry { id kind points reason actor recordedAt }
            balance { approved total lifetime }
            userErrors { code message field }
          }
        }
        """;

    private const string Enroll = """
        mutation($input: EnrollMemberInput!) {
          enrollMember(input: $input) { member { id email firstName memberNumber memberCode enrolledAt } userErrors { code message field } }
        }
        """;

    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private sealed record State(long Approved, long Lifetime, int Entries, long EntrySum);

    private Task<State> StateAsync(string slug, Guid memberId) => _app.WithTenantAsync(slug, async db =>
    {
        var balance = await db.Balances.AsNoTracking().SingleAsync(b => b.MemberId == memberId);
        var points = await db.LedgerEntries.AsNoTracking().Where(e => e.MemberId == memberId).Select(e => e.Points).ToListAsync();
        return new State(balance.Approved, balance.Lifetime, points.Count, points.Sum());
    });

    private async Task<(string Slug, MemberView Member)> MemberWithAsync(long points)
    {
        var slug = NewSlug("idem");
        await _app.CreateProgramAsync(slug);
        var member = await _app.EnrollAsync(slug, $"idem-{slug}@example.com");
        if (points != 0)
            await _app.AdjustAsync(slug, member.Id, points);
        return (slug, member);
    }

    private static string PayloadText(GraphQLResult result, string field) => result.Data.GetProperty(field).GetRawText();

    [DbFact]
    public async Task Adjusting_twice_with_the_same_key_and_input_replays_the_first_payload_and_posts_once()
    {
        var (slug, member) = await MemberWithAsync(100);
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin, subject: "alice"));
        var input = new { memberId = MemberId(member.Id), points = 25L, reason = "goodwill", idempotencyKey = "adj-1" };

        using var first = await client.PostGraphQLAsync(Adjust, new { input });
        _app.Clock.Advance(TimeSpan.FromMinutes(5)); // a second run would record a different time
        using var replay = await client.PostGraphQLAsync(Adjust, new { input });

        Assert.True(first.Status == HttpStatusCode.OK && !first.HasErrors, first.ToString());
        Assert.Empty(first.UserErrorCodes("adjustPoints"));
        var payload = first.Data.GetProperty("adjustPoints");
        Assert.Equal(MemberId(member.Id), payload.GetProperty("member").GetProperty("id").GetString());
        Assert.Equal(("ADJUSTMENT", 25L, "goodwill", "admin:alice"),
            (payload.GetProperty("entry").GetProperty("kind").GetString(), payload.GetProperty("entry").GetProperty("points").GetInt64(),
             payload.GetProperty("entry").GetProperty("reason").GetString(), payload.GetProperty("entry").GetProperty("actor").GetString()));
        Assert.Equal(125L, payload.GetProperty("balance").GetProperty("approved").GetInt64());
        Assert.Equal(PayloadText(first, "adjustPoints"), PayloadText(replay, "adjustPoints"));
        Assert.Equal(new State(125, 125, 2, 125), await StateAsync(slug, member.Id));
    }

    [DbFact]
    public async Task Reusing_a_key_with_different_points_is_IDEMPOTENCY_KEY_REUSED_and_changes_nothing()
    {
        var (slug, member) = await MemberWithAsync(100);
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        using var first = await client.PostGraphQLAsync(Adjust, new { input = new { memberId = MemberId(member.Id), points = 25L, reason = "goodwill", idempotencyKey = "adj-2" } });
        Assert.Empty(first.UserErrorCodes("adjustPoints"));
        var before = await StateAsync(slug, member.Id);

        using var reused = await client.PostGraphQLAsync(Adjust, new { input = new { memberId = MemberId(member.Id), points = 26L, reason = "goodwill", idempotencyKey = "adj-2" } });

        Assert.True(reused.Status == HttpStatusCode.OK && !reused.HasErrors, reused.ToString());
        Assert.Equal(["IDEMPOTENCY_KEY_REUSED"], reused.UserErrorCodes("adjustPoints"));
        var payload = reused.Data.GetProperty("adjustPoints");
        Assert.Equal("idempotencyKey", payload.GetProperty("userErrors")[0].GetProperty("field").GetString());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("member").ValueKind);
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("entry").ValueKind);
        Assert.Equal(before, await StateAsync(slug, member.Id));
        Assert.Equal(new State(125, 125, 2, 125), before);
    }

    [DbFact]
    public async Task Enrolling_with_an_idempotency_key_replays_the_member_and_refuses_a_different_input()
    {
        var slug = NewSlug("idem");
        await _app.CreateProgramAsync(slug);
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Pos));
        var input = new { email = "replay@example.com", firstName = "Rey", idempotencyKey = "enroll-1" };

        using var first = await client.PostGraphQLAsync(Enroll, new { input });
        using var replay = await client.PostGraphQLAsync(Enroll, new { input });
        using var other = await client.PostGraphQLAsync(Enroll, new { input = input with { email = "someone-else@example.com" } });

        Assert.True(first.Status == HttpStatusCode.OK && !first.HasErrors, first.ToString());
        Assert.Empty(first.UserErrorCodes("enrollMember"));
        Assert.Equal("replay@example.com", first.Data.GetProperty("enrollMember").GetProperty("member").GetProperty("email").GetString());
        Assert.Equal(PayloadText(first, "enrollMember"), PayloadText(replay, "enrollMember"));
        Assert.Equal(["IDEMPOTENCY_KEY_REUSED"], other.UserErrorCodes("enrollMember"));
        var emails = await _app.WithTenantAsync(slug, db => db.Members.Select(m => m.Email).ToListAsync());
        Assert.Equal(["replay@example.com"], emails);

        // Without a key, the same input is a second attempt: EMAIL_TAKEN, not a replay.
        using var again = await client.PostGraphQLAsync(Enroll, new { input = new { input.email, input.firstName } });
        Assert.Equal(["EMAIL_TAKEN"], again.UserErrorCodes("enrollMember"));
    }

    [DbTheory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Service)]
    public async Task A_debit_beyond_the_balance_is_INSUFFICIENT_POINTS_without_the_override(string role)
    {
        var (slug, member) = await MemberWithAsync(10);
        using var client = _app.CreateClient(_app.MintToken(slug, role));

        using var result = await client.PostGraphQLAsync(Adjust, new { input = new { memberId = MemberId(member.Id), points = -11L, reason = "too much", idempotencyKey = "over-1" } });

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        Assert.Equal(["INSUFFICIENT_POINTS"], result.UserErrorCodes("adjustPoints"));
        Assert.Equal(new State(10, 10, 1, 10), await StateAsync(slug, member.Id));
    }

    [DbFact]
    public async Task AllowNegative_from_a_service_token_is_a_FORBIDDEN_user_error_and_changes_nothing()
    {
        var (slug, member) = await MemberWithAsync(10);
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Service));

        using var result = await client.PostGraphQLAsync(Adjust,
            new { input = new { memberId = MemberId(member.Id), points = -50L, reason = "override", allowNegative = true, idempotencyKey = "neg-1" } });

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, $"a userError, not a transport refusal: {result}");
        Assert.Equal(["FORBIDDEN"], result.UserErrorCodes("adjustPoints"));
        Assert.Equal(JsonValueKind.Null, result.Data.GetProperty("adjustPoints").GetProperty("entry").ValueKind);
        Assert.Equal(new State(10, 10, 1, 10), await StateAsync(slug, member.Id));
    }

    [DbFact]
    public async Task AllowNegative_from_an_admin_overdraws()
    {
        var (slug, member) = await MemberWithAsync(10);
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));

        using var result = await client.PostGraphQLAsync(Adjust,
            new { input = new { memberId = MemberId(member.Id), points = -50L, reason = "override", allowNegative = true, idempotencyKey = "neg-2" } });

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        Assert.Empty(result.UserErrorCodes("adjustPoints"));
        Assert.Equal(-40L, result.Data.GetProperty("adjustPoints").GetProperty("balance").GetProperty("approved").GetInt64());
        Assert.Equal(new State(-40, 10, 2, -40), await StateAsync(slug, member.Id));
    }

    [DbTheory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Adjusting_with_a_blank_idempotency_key_is_IDEMPOTENCY_KEY_REQUIRED(string key)
    {
        var (slug, member) = await MemberWithAsync(10);
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));

        using var result = await client.PostGraphQLAsync(Adjust, new { input = new { memberId = MemberId(member.Id), points = 5L, reason = "x", idempotencyKey = key } });

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        Assert.Equal(["IDEMPOTENCY_KEY_REQUIRED"], result.UserErrorCodes("adjustPoints"));
        Assert.Equal(new State(10, 10, 1, 10), await StateAsync(slug, member.Id));
    }

    [DbTheory]
    [InlineData("not-a-global-id")]
    [InlineData("VGllcjoxMjM")] // "Tier:123": a global id of another type
    public async Task A_malformed_or_foreign_type_member_id_is_an_INVALID_INPUT_user_error(string memberId)
    {
        var (slug, member) = await MemberWithAsync(10);
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));

        using var result = await client.PostGraphQLAsync(Adjust, new { input = new { memberId, points = 5L, reason = "x", idempotencyKey = "bad-id" } });

        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        Assert.Equal(["INVALID_INPUT"], result.UserErrorCodes("adjustPoints"));
        Assert.Equal(new State(10, 10, 1, 10), await StateAsync(slug, member.Id));
    }
}

public sealed class MutationIdempotencyTestsOnSqlite(SqliteFixture fixture) : MutationIdempotencyTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MutationIdempotencyTestsOnPostgres(PostgresFixture fixture) : MutationIdempotencyTests(fixture), IClassFixture<PostgresFixture>;
