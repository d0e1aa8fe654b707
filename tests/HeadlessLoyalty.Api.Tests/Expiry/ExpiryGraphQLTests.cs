using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Expiry;

/// <summary>The expiry policy, the expiry job and the member fields through GraphQL over HTTP.</summary>
public abstract class ExpiryGraphQLTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private const string Update =
        "mutation($input: ExpiryPolicyInput!) { updateExpiryPolicy(input: $input) { expiryPolicy { lotValidityMonths inactivityMonths } userErrors { code field } } }";

    [DbFact]
    public async Task An_admin_reads_and_replaces_the_policy_and_a_refused_one_changes_nothing()
    {
        var slug = NewSlug("xp");
        await _app.CreateProgramAsync(slug);
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));

        using (var initial = await client.PostGraphQLAsync("{ expiryPolicy { lotValidityMonths inactivityMonths } }"))
            Assert.Equal("{\"lotValidityMonths\":null,\"inactivityMonths\":null}", initial.Data.GetProperty("expiryPolicy").GetRawText());
        using (var set = await client.PostGraphQLAsync(Update, new { input = new { lotValidityMonths = 12, inactivityMonths = 18 } }))
        {
            Assert.Empty(set.UserErrorCodes("updateExpiryPolicy"));
            Assert.Equal(12, set.Data.GetProperty("updateExpiryPolicy").GetProperty("expiryPolicy").GetProperty("lotValidityMonths").GetInt32());
        }
        using (var refused = await client.PostGraphQLAsync(Update, new { input = new { lotValidityMonths = 0 } }))
        {
            var error = Assert.Single(refused.Data.GetProperty("updateExpiryPolicy").GetProperty("userErrors").EnumerateArray());
            Assert.Equal(("INVALID_INPUT", "lotValidityMonths"), (error.GetProperty("code").GetString(), error.GetProperty("field").GetString()));
            Assert.Equal(JsonValueKind.Null, refused.Data.GetProperty("updateExpiryPolicy").GetProperty("expiryPolicy").ValueKind);
        }
        using var after = await client.PostGraphQLAsync("{ expiryPolicy { lotValidityMonths inactivityMonths } }");
        Assert.Equal("{\"lotValidityMonths\":12,\"inactivityMonths\":18}", after.Data.GetProperty("expiryPolicy").GetRawText());
    }

    [DbFact]
    public async Task The_expiry_job_lapses_due_points_once_and_the_member_fields_show_what_comes_next()
    {
        var slug = NewSlug("xj");
        await _app.CreateProgramAsync(slug);
        using (var admin = _app.CreateClient(_app.MintToken(slug, Roles.Admin)))
        using (var set = await admin.PostGraphQLAsync(Update, new { input = new { lotValidityMonths = 1 } }))
            Assert.Empty(set.UserErrorCodes("updateExpiryPolicy"));
        var member = await _app.EnrollAsync(slug, "job@example.com");
        await _app.AdjustAsync(slug, member.Id, 80);
        _app.Clock.Advance(TimeSpan.FromDays(20));
        await _app.PostAsync(slug, new PostPointsInput(member.Id, LedgerEntryKind.Earn, 30));
        const string Fields = "query($id: ID!) { member(by: { id: $id }) { nextExpiring { points at } expiringPoints(withinDays: 30) balance { approved } } }";

        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        using (var before = await client.PostGraphQLAsync(Fields, new { id = MemberId(member.Id) }))
        {
            var m = before.Data.GetProperty("member");
            Assert.Equal(80, m.GetProperty("nextExpiring").GetProperty("points").GetInt64());
            Assert.Equal(110, m.GetProperty("expiringPoints").GetInt64());
        }

        _app.Clock.Advance(TimeSpan.FromDays(15)); // past the first lot's month, not the second's
        using var client2 = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        const string Run = "mutation { runJob(name: \"expiry\") { run { outcome processed error } userErrors { code } } }";
        using var first = await client2.PostGraphQLAsync(Run);
        using var again = await client2.PostGraphQLAsync(Run);

        var run = first.Data.GetProperty("runJob").GetProperty("run");
        Assert.True(run.GetProperty("outcome").GetString() == "SUCCEEDED", first.ToString());
        // One member expired, and the second lot is now within 30 days: one warning.
        Assert.Equal(2, run.GetProperty("processed").GetInt32());
        Assert.Equal(0, again.Data.GetProperty("runJob").GetProperty("run").GetProperty("processed").GetInt32());
        using (var after = await client2.PostGraphQLAsync(Fields, new { id = MemberId(member.Id) }))
        {
            var m = after.Data.GetProperty("member");
            Assert.Equal((30L, 30L, 30L), (m.GetProperty("balance").GetProperty("approved").GetInt64(), m.GetProperty("nextExpiring").GetProperty("points").GetInt64(), m.GetProperty("expiringPoints").GetInt64()));
        }
        var types = await _app.WithTenantAsync(slug, db => db.DomainEvents.AsNoTracking()
            .Where(e => e.Type == EventTypes.PointsExpired || e.Type.StartsWith("points.expire_in")).Select(e => e.Type).ToListAsync());
        Assert.Equal([EventTypes.PointsExpireIn30Days, EventTypes.PointsExpired], types.Order());
    }

    [DbFact]
    public async Task A_window_outside_0_to_3650_days_is_an_invalid_input_error()
    {
        var slug = NewSlug("xw");
        await _app.CreateProgramAsync(slug);
        var member = await _app.EnrollAsync(slug, "window@example.com");
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));

        using var result = await client.PostGraphQLAsync("query($id: ID!) { member(by: { id: $id }) { expiringPoints(withinDays: -1) } }", new { id = MemberId(member.Id) });

        Assert.Contains("INVALID_INPUT", result.ErrorCodes);
    }
}

public sealed class ExpiryGraphQLTestsOnSqlite(SqliteFixture fixture) : ExpiryGraphQLTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ExpiryGraphQLTestsOnPostgres(PostgresFixture fixture) : ExpiryGraphQLTests(fixture), IClassFixture<PostgresFixture>;
