using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Snapshooter;
using Snapshooter.Xunit;

namespace HeadlessLoyalty.Api.Tests.Scenarios;

/// <summary>
/// A year in the life of one member, on the fake clock, as a merchant and the scheduler drive it: the program's
/// rules set through GraphQL, purchases, a redemption and a partial refund through GraphQL, and every job run once a
/// day as the scheduler would. The program's event sequence is one snapshot shared by SQLite and PostgreSQL, so the
/// two databases must tell the same story, event for event. Runs on an app of its own: its clock moves a year.
/// </summary>
public sealed partial class YearInTheLifeTests
{
    private static readonly DateTimeOffset End = new(2027, 1, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory, TestSupport.SqliteData, TestSupport.PostgresData]
    public async Task A_members_year_enroll_earn_upgrade_birthday_warnings_expiry_redeem_refund_and_downgrade_emit_the_snapshot_sequence(string provider)
    {
        var snapshotName = Snapshot.FullName(); // before any await: one name for both providers
        // The event log keeps the whole year: event-retention runs daily like every job but deletes nothing here.
        await using var app = await LoyaltyApiFactory.StartAsync(provider == TestSupport.TestDatabase.Sqlite ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres,
            new Dictionary<string, string?> { ["Events:RetentionDays"] = "3650" });
        var slug = GraphQLSeed.NewSlug("year");
        var program = await app.CreateProgramAsync(slug);
        var year = new Year(app, slug, program.Id);

        // The merchant sets the program up (2026-01-15).
        await year.SendAsync("updateEarningRules", "mutation { updateEarningRules(input: { pointsPerCurrencyUnit: 1, rounding: DOWN, welcomeBonusPoints: 50, pendingDays: 14 }) { userErrors { code } } }");
        await year.SendAsync("updateTierPolicy", "mutation { updateTierPolicy(input: { metric: SPEND, qualificationPeriod: CALENDAR_YEAR, periodEnd: DOWNGRADE_ONE_STEP }) { userErrors { code } } }");
        foreach (var (name, threshold, multiplier) in new[] { ("Bronze", 0m, 1m), ("Silver", 300m, 1m), ("Gold", 600m, 2m) })
            await year.SendAsync("createTier", "mutation($input: CreateTierInput!) { createTier(input: $input) { userErrors { code } } }",
                new { input = new { name, threshold, earningMultiplier = multiplier } });
        await year.SendAsync("updateExpiryPolicy", "mutation { updateExpiryPolicy(input: { lotValidityMonths: 6 }) { userErrors { code } } }");
        await year.SendAsync("upsertActivityRule", "mutation { upsertActivityRule(input: { type: BIRTHDAY, points: 100 }) { userErrors { code } } }");
        var reward = (await year.SendAsync("createReward", "mutation($input: RewardInput!) { createReward(input: $input) { reward { id } userErrors { code } } }",
            new { input = new { name = "$10 off", kind = "FIXED_AMOUNT_COUPON", pointsCost = 250, value = 10m, codePrefix = "YEAR", validityDays = 30 } }))
            .GetProperty("reward").GetProperty("id").GetString()!;

        // Enrolled with a birthday on 10 April.
        var member = (await year.SendAsync("enrollMember", "mutation { enrollMember(input: { email: \"ada@example.com\", firstName: \"Ada\", birthday: { month: 4, day: 10, year: 1990 } }) { member { id memberCode referralCode } userErrors { code } } }"))
            .GetProperty("member");
        var memberId = member.GetProperty("id").GetString()!;
        year.Volatile(member.GetProperty("memberCode").GetString()!, "<member-code>");
        year.Volatile(member.GetProperty("referralCode").GetString()!, "<referral-code>");

        // Each purchase is pending for 14 days (the return window), then approved by the pending-approval job.
        await year.UntilAsync(2026, 1, 15);
        await year.BuyAsync(memberId, "A-1001", 200m);                 // + welcome bonus 50; spend 200 (Bronze)
        await year.UntilAsync(2026, 2, 10);
        await year.BuyAsync(memberId, "A-1002", 150m);                 // spend 350: Silver at once
        await year.UntilAsync(2026, 3, 1);
        await year.BuyAsync(memberId, "A-1003", 300m);                 // spend 650: Gold at once
        await year.UntilAsync(2026, 4, 20);                            // birthday: 7 days ahead, then on the day (+100)
        Assert.Equal(200L, await year.BuyAsync(memberId, "A-1004", 100m)); // Gold earns x2

        await year.UntilAsync(2026, 5, 5);
        var coupon = (await year.SendAsync("redeemCoupon", "mutation($input: RedeemCouponInput!) { redeemCoupon(input: $input) { coupon { code pointsSpent } userErrors { code } } }",
            new { input = new { member = new { id = memberId }, rewardId = reward, idempotencyKey = "year-redeem-1" } })).GetProperty("coupon");
        Assert.Equal(250L, coupon.GetProperty("pointsSpent").GetInt64());
        year.Volatile(coupon.GetProperty("code").GetString()!, "<coupon-code>");

        await year.UntilAsync(2026, 6, 1);
        var refund = await year.SendAsync("reversePurchase", "mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { pointsTakenBack userErrors { code } } }",
            new { input = new { channel = "ONLINE", storeId = "web", orderReference = "A-1003", refundAmount = 200m, refundReference = "R-1", reason = "returned two items" } });
        Assert.Equal(200L, refund.GetProperty("pointsTakenBack").GetInt64()); // 200 of 300: proportional
        // Spend 550 < 600: Gold is warned 4 weeks, 2 weeks and a day before the year ends, then steps down to Silver.
        // The lots left after the redemption lapse 6 months after their approval, each warned 30, 7 and 3 days ahead.
        await year.UntilAsync(End);

        var final = await year.SendAsync("member", "query($id: ID!) { member(by: { id: $id }) { tier { current { name } } balance { approved pending spent expired lifetime } } }", new { id = memberId });
        Assert.Equal("Silver", final.GetProperty("tier").GetProperty("current").GetProperty("name").GetString());

        Snapshot.Match($"{await year.EventSequenceAsync()}end of year: {final.ToString()}\n", snapshotName);
    }

    /// <summary>The merchant's and the scheduler's side of the year, on one app and one program.</summary>
    private sealed partial class Year(LoyaltyApiFactory app, string slug, Guid programId)
    {
        private readonly Dictionary<string, string> _volatile = new(StringComparer.Ordinal);

        /// <summary>A value that differs between runs (codes), shown in the snapshot as <paramref name="placeholder"/>.</summary>
        public void Volatile(string value, string placeholder) => _volatile[value] = placeholder;

        /// <summary>One GraphQL call with a fresh admin token (the clock outruns a token's hour); fails on any error.</summary>
        public async Task<JsonElement> SendAsync(string field, string query, object? variables = null)
        {
            using var client = app.CreateClient(app.MintToken(slug, Roles.Admin));
            using var result = await client.PostGraphQLAsync(query, variables);
            Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
            var data = result.Data.GetProperty(field).Clone();
            if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("userErrors", out var errors))
                Assert.True(errors.GetArrayLength() == 0, result.ToString());
            return data;
        }

        public async Task<long> BuyAsync(string memberId, string reference, decimal amount) =>
            (await SendAsync("recordPurchase", "mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { purchase { pointsEarned } userErrors { code } } }",
                new { input = new { memberId, channel = "ONLINE", storeId = "web", orderReference = reference, amount, currency = "USD", status = "COMPLETED" } }))
            .GetProperty("purchase").GetProperty("pointsEarned").GetInt64();

        /// <summary>
        /// Day by day up to <paramref name="until"/> (noon UTC, the program's zone): each day the jobs run in the
        /// scheduler's order, each a minute after the previous one, as separate scheduled runs would.
        /// </summary>
        public Task UntilAsync(int year, int month, int day) => UntilAsync(new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero));

        public async Task UntilAsync(DateTimeOffset until)
        {
            var runner = app.Services.GetRequiredService<JobRunner>();
            while (app.Clock.GetUtcNow() < until)
            {
                var next = app.Clock.GetUtcNow().Date.AddDays(1).AddHours(12);
                app.Clock.Advance(new DateTimeOffset(next, TimeSpan.Zero) - app.Clock.GetUtcNow());
                foreach (var job in LoyaltyJobs.All)
                {
                    var run = await runner.RunForProgramAsync(job, programId, JobTrigger.Scheduled);
                    Assert.True(run.Outcome == JobOutcome.Succeeded, $"{job.Name} on {app.Clock.GetUtcNow():yyyy-MM-dd}: {run.Error}");
                    app.Clock.Advance(TimeSpan.FromMinutes(1));
                }
            }
        }

        /// <summary>
        /// The program's events in id order (monotonic version 7 ids), one line each: when it occurred, its type and its
        /// payload with ids and codes replaced by stable placeholders (the first id seen is &lt;id-1&gt;, and so on).
        /// </summary>
        public async Task<string> EventSequenceAsync()
        {
            var events = await app.WithTenantAsync(slug, db => db.DomainEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync());
            var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            // A header first: Snapshooter parses the snapshot as JSON, and a text that starts with a date would read as one.
            var text = new StringBuilder("occurred at (UTC), type, payload (ids and codes as placeholders, numbers normalized)\n");
            foreach (var e in events)
            {
                var payload = Normalized(JsonNode.Parse(e.Payload))!.ToJsonString();
                foreach (var (value, placeholder) in _volatile)
                    payload = payload.Replace(value, placeholder, StringComparison.Ordinal);
                payload = Guid().Replace(payload, m =>
                    ids.TryGetValue(m.Value, out var p) ? p : ids[m.Value] = $"<id-{ids.Count + 1}>");
                text.Append(CultureInfo.InvariantCulture, $"{e.OccurredAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} {e.Type} {payload}\n");
            }
            return text.ToString();
        }

        /// <summary>
        /// Decimals without trailing zeros: a tier's progress reads back as 350.0 from SQLite and 350 from PostgreSQL's
        /// numeric, the same JSON number either way.
        /// </summary>
        private static JsonNode? Normalized(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var key in o.Select(p => p.Key).ToList())
                        o[key] = Normalized(o[key]?.DeepClone());
                    return o;
                case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                    return JsonValue.Create(v.GetValue<decimal>() / 1.000000000000000000000000000000000m);
                default:
                    return node;
            }
        }

        [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
        private static partial Regex Guid();
    }
}
