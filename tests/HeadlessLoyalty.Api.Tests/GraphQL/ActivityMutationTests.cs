using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>Activity rules and awards through GraphQL over HTTP, as an admin, a POS and a storefront use them.</summary>
public abstract class ActivityMutationTests(DatabaseFixture fixture)
{
    private const string Upsert = """
        mutation($input: UpsertActivityRuleInput!) {
          upsertActivityRule(input: $input) { activityRule { key type points dailyLimit weeklyLimit monthlyLimit lifetimeLimit enabled description } userErrors { code field } }
        }
        """;

    private const string Record = """
        mutation($input: RecordActivityInput!) {
          recordActivity(input: $input) { award { id memberId key reference points entryId occurredAt } balance { approved } replayed userErrors { code field message } }
        }
        """;

    private readonly LoyaltyApiFactory _app = fixture.Factory;

    [DbFact]
    public async Task An_admin_configures_activities_a_pos_awards_them_once_per_reference_and_the_member_sees_them()
    {
        var slug = NewSlug("ac");
        await _app.CreateProgramAsync(slug, timeZone: "America/Los_Angeles");
        var member = await _app.EnrollAsync(slug, "reviewer@example.com", "Re", "Viewer");
        using var admin = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        using var pos = _app.CreateClient(_app.MintToken(slug, Roles.Pos));
        using var storefront = _app.CreateClient(_app.MintToken(slug, Roles.Storefront, member.Id));

        var review = await admin.MutateInputAsync(Upsert, "upsertActivityRule", new { type = "REVIEW", points = 30, dailyLimit = 1, lifetimeLimit = 10, description = "Review a product" });
        var quiz = await admin.MutateInputAsync(Upsert, "upsertActivityRule", new { type = "CUSTOM", key = "quiz", points = 5 });
        // 15 January 2026 in Los Angeles: 07:59Z is still the 14th (23:59 PST), 08:00Z starts the 15th.
        var first = await pos.MutateInputAsync(Record, "recordActivity", new { memberId = MemberId(member.Id), key = "review", reference = "rev-1", occurredAt = "2026-01-15T07:59:00Z" });
        var retry = await pos.MutateInputAsync(Record, "recordActivity", new { memberId = MemberId(member.Id), key = "review", reference = "rev-1" });
        var nextDay = await pos.MutateInputAsync(Record, "recordActivity", new { memberId = MemberId(member.Id), key = "review", reference = "rev-2", occurredAt = "2026-01-15T08:00:00Z" });
        var full = await pos.MutateInputAsync(Record, "recordActivity", new { memberId = MemberId(member.Id), key = "review", reference = "rev-3", occurredAt = "2026-01-15T09:00:00Z" });
        await pos.MutateInputAsync(Record, "recordActivity", new { memberId = MemberId(member.Id), key = "quiz", reference = "week-3" });

        Assert.Empty(UserErrorsOf(review));
        var rule = review.GetProperty("activityRule");
        Assert.Equal(("review", "REVIEW", 30L, 1, 10, true), (rule.GetProperty("key").GetString(), rule.GetProperty("type").GetString(), rule.GetProperty("points").GetInt64(),
            rule.GetProperty("dailyLimit").GetInt32(), rule.GetProperty("lifetimeLimit").GetInt32(), rule.GetProperty("enabled").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("weeklyLimit").ValueKind);
        Assert.Equal("quiz", quiz.GetProperty("activityRule").GetProperty("key").GetString());
        Assert.Empty(UserErrorsOf(first));
        Assert.Equal((30L, false), (first.GetProperty("balance").GetProperty("approved").GetInt64(), first.GetProperty("replayed").GetBoolean()));
        Assert.Equal(MemberId(member.Id), first.GetProperty("award").GetProperty("memberId").GetString());
        Assert.True(retry.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("award").GetProperty("id").GetString(), retry.GetProperty("award").GetProperty("id").GetString());
        Assert.Equal(30L, retry.GetProperty("balance").GetProperty("approved").GetInt64());
        Assert.Equal(60L, nextDay.GetProperty("balance").GetProperty("approved").GetInt64());
        Assert.Equal(["ACTIVITY_LIMIT_REACHED:key"], UserErrorsOf(full));
        Assert.Contains("daily", full.GetProperty("userErrors")[0].GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, full.GetProperty("award").ValueKind);

        // The member reads their awards newest first, and each award and its entry resolve through node.
        using var mine = await storefront.PostGraphQLAsync("{ me { activities(first: 10) { totalCount nodes { id key reference points } } balance { approved } } }");
        Assert.True(mine.Status == HttpStatusCode.OK && !mine.HasErrors, mine.ToString());
        var activities = mine.Data.GetProperty("me").GetProperty("activities");
        Assert.Equal(3, activities.GetProperty("totalCount").GetInt32());
        Assert.Equal(["quiz:week-3", "review:rev-2", "review:rev-1"], activities.GetProperty("nodes").EnumerateArray()
            .Select(n => $"{n.GetProperty("key").GetString()}:{n.GetProperty("reference").GetString()}"));
        Assert.Equal(65L, mine.Data.GetProperty("me").GetProperty("balance").GetProperty("approved").GetInt64());
        var award = first.GetProperty("award");
        using var nodes = await storefront.PostGraphQLAsync("query($a: ID!, $e: ID!) { a: node(id: $a) { ... on ActivityAward { reference } } e: node(id: $e) { ... on LedgerEntry { kind points reason sourceReference } } }",
            new { a = award.GetProperty("id").GetString(), e = award.GetProperty("entryId").GetString() });
        Assert.True(nodes.Status == HttpStatusCode.OK && !nodes.HasErrors, nodes.ToString());
        Assert.Equal("rev-1", nodes.Data.GetProperty("a").GetProperty("reference").GetString());
        var entry = nodes.Data.GetProperty("e");
        Assert.Equal(("BONUS", 30L, "Activity: review", "activity:review:rev-1"), (entry.GetProperty("kind").GetString(), entry.GetProperty("points").GetInt64(),
            entry.GetProperty("reason").GetString(), entry.GetProperty("sourceReference").GetString()));

        using var rules = await pos.PostGraphQLAsync("{ activityRules { key points } }");
        Assert.Equal(["quiz", "review"], rules.Data.GetProperty("activityRules").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
    }

    [DbFact]
    public async Task Refusals_are_user_errors_that_change_nothing()
    {
        var slug = NewSlug("ar");
        await _app.CreateProgramAsync(slug);
        var member = await _app.EnrollAsync(slug, "refused@example.com");
        using var admin = _app.CreateClient(_app.MintToken(slug, Roles.Admin));

        var badKey = await admin.MutateInputAsync(Upsert, "upsertActivityRule", new { type = "CUSTOM", key = "review", points = 5 });
        var noKey = await admin.MutateInputAsync(Upsert, "upsertActivityRule", new { type = "CUSTOM", points = 5 });
        var badLimits = await admin.MutateInputAsync(Upsert, "upsertActivityRule", new { type = "SOCIAL_SHARE", points = 5, dailyLimit = 3, weeklyLimit = 2 });
        var badPoints = await admin.MutateInputAsync(Upsert, "upsertActivityRule", new { type = "SIGN_UP", points = 0 });
        var unknown = await admin.MutateInputAsync(Record, "recordActivity", new { memberId = MemberId(member.Id), key = "birthday", reference = "2026" });
        var badId = await admin.MutateInputAsync(Record, "recordActivity", new { memberId = "not-an-id", key = "birthday", reference = "2026" });
        using var after = await admin.PostGraphQLAsync("query($id: ID!) { activityRules { key } member(by: { id: $id }) { activities { totalCount } balance { approved } } }",
            new { id = MemberId(member.Id) });

        Assert.Equal(["INVALID_INPUT:key"], UserErrorsOf(badKey));
        Assert.Equal(JsonValueKind.Null, badKey.GetProperty("activityRule").ValueKind);
        Assert.Equal(["INVALID_INPUT:key"], UserErrorsOf(noKey));
        Assert.Equal(["INVALID_INPUT:weeklyLimit"], UserErrorsOf(badLimits));
        Assert.Equal(["INVALID_INPUT:points"], UserErrorsOf(badPoints));
        Assert.Equal(["ACTIVITY_NOT_FOUND:key"], UserErrorsOf(unknown));
        Assert.Equal("memberId", UserErrorsOf(badId).Single().Split(':')[1]);
        Assert.Equal(0, after.Data.GetProperty("activityRules").GetArrayLength());
        Assert.Equal(0, after.Data.GetProperty("member").GetProperty("activities").GetProperty("totalCount").GetInt32());
        Assert.Equal(0L, after.Data.GetProperty("member").GetProperty("balance").GetProperty("approved").GetInt64());
    }
}

public sealed class ActivityMutationTestsOnSqlite(SqliteFixture fixture) : ActivityMutationTests(fixture), IClassFixture<SqliteFixture>;
public sealed class ActivityMutationTestsOnPostgres(PostgresFixture fixture) : ActivityMutationTests(fixture), IClassFixture<PostgresFixture>;
