using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Tiers;

/// <summary>
/// Tiers through GraphQL over HTTP, on the fake clock: definitions and policy, the upgrade in the transaction that
/// crosses a threshold, the multiplier on the next purchase, the period-end run under each policy, warnings once.
/// Tests that move the clock by years run on an app of their own (its clock starts at the factory's epoch), so they
/// neither depend on nor push the clock of the tests sharing the fixture; the others read times relative to it.
/// </summary>
public abstract class TierLifecycleTests(DatabaseFixture fixture)
{
    private LoyaltyApiFactory _app = fixture.Factory;

    /// <summary>A started app on the fixture's provider for this test alone; dispose it at the end of the test.</summary>
    private async Task<LoyaltyApiFactory> OwnAppAsync() => _app = await LoyaltyApiFactory.StartAsync(fixture.Provider);

    private const string Status =
        "query($id: ID!) { member(by: { id: $id }) { tier { current { name } achievedAt expiresAt periodStart periodEnd metric progress projectedProgressAtExpiration progressNeededToRenew progressNeededToUpgrade nextTier { name } forecastedTierAtExpiration { name } } } }";

    private DateTimeOffset Now => _app.Clock.GetUtcNow();

    /// <summary>A fresh admin token per call: the clock jumps ahead of a token's hour.</summary>
    private async Task<GraphQLResult> SendAsync(string slug, string query, object? variables = null)
    {
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        var result = await client.PostGraphQLAsync(query, variables);
        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        return result;
    }

    private async Task<JsonElement> DataAsync(string slug, string query, object? variables = null)
    {
        using var result = await SendAsync(slug, query, variables);
        return result.Data.Clone();
    }

    private async Task<string> ProgramAsync(string metric, string periodEnd, string period = "CALENDAR_YEAR", string timeZone = "UTC", params (string Name, decimal Threshold, decimal Multiplier)[] tiers)
    {
        var slug = NewSlug("tier");
        await _app.CreateProgramAsync(slug, timeZone: timeZone);
        var policy = await DataAsync(slug, "mutation($m: TierMetric!, $p: TierQualificationPeriod!, $e: TierPeriodEndPolicy!) { updateTierPolicy(input: { metric: $m, qualificationPeriod: $p, periodEnd: $e }) { tierPolicy { metric qualificationPeriod periodEnd } userErrors { code } } }",
            new { m = metric, p = period, e = periodEnd });
        Assert.Equal(periodEnd, policy.GetProperty("updateTierPolicy").GetProperty("tierPolicy").GetProperty("periodEnd").GetString());
        foreach (var (name, threshold, multiplier) in tiers.Length > 0 ? tiers : [("Bronze", 0m, 1m), ("Silver", 100m, 1m), ("Gold", 500m, 1m)])
            await CreateTierAsync(slug, name, threshold, multiplier);
        return slug;
    }

    private async Task<string> CreateTierAsync(string slug, string name, decimal threshold, decimal multiplier = 1m, object[]? channels = null)
    {
        var data = await DataAsync(slug, "mutation($input: CreateTierInput!) { createTier(input: $input) { tier { id } userErrors { code field } } }",
            new { input = new { name, threshold, earningMultiplier = multiplier, channelMultipliers = channels } });
        return data.GetProperty("createTier").GetProperty("tier").GetProperty("id").GetString()!;
    }

    private async Task<long> BuyAsync(string slug, Guid memberId, decimal amount, string reference, string channel = "ONLINE")
    {
        var data = await DataAsync(slug, "mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { purchase { pointsEarned } userErrors { code } } }",
            new { input = new { memberId = MemberId(memberId), channel, orderReference = reference, amount, currency = "USD", status = "COMPLETED" } });
        return data.GetProperty("recordPurchase").GetProperty("purchase").GetProperty("pointsEarned").GetInt64();
    }

    private Task RefundAsync(string slug, string reference, decimal amount) =>
        DataAsync(slug, "mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { pointsTakenBack userErrors { code } } }",
            new { input = new { channel = "ONLINE", orderReference = reference, refundAmount = amount } });

    private async Task<JsonElement> TierAsync(string slug, Guid memberId) =>
        (await DataAsync(slug, Status, new { id = MemberId(memberId) })).GetProperty("member").GetProperty("tier");

    private async Task<int> RunTiersAsync(string slug)
    {
        var run = (await DataAsync(slug, "mutation { runJob(name: \"tiers\") { run { outcome processed error } userErrors { code } } }")).GetProperty("runJob").GetProperty("run");
        Assert.Equal("SUCCEEDED", run.GetProperty("outcome").GetString());
        return run.GetProperty("processed").GetInt32();
    }

    private Task<List<(string Type, JsonElement Payload)>> TierEventsAsync(string slug, Guid memberId) =>
        _app.WithTenantAsync(slug, async db => (await db.DomainEvents.AsNoTracking().Where(e => e.MemberId == memberId && e.Type.StartsWith("tier."))
                .OrderBy(e => e.RecordedAt).ThenBy(e => e.Id).ToListAsync())
            .Select(e => (e.Type, JsonDocument.Parse(e.Payload).RootElement.Clone())).ToList());

    private static string? Name(JsonElement tier, string field) => tier.GetProperty(field).ValueKind == JsonValueKind.Null ? null : tier.GetProperty(field).GetProperty("name").GetString();

    private static DateTimeOffset? Time(JsonElement e, string field) => e.GetProperty(field).ValueKind == JsonValueKind.Null ? null : e.GetProperty(field).GetDateTimeOffset();

    private DateTimeOffset NextNewYear => new(Now.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Moves the clock to <paramref name="at"/> (never back).</summary>
    private void MoveTo(DateTimeOffset at)
    {
        if (at > Now)
            _app.Clock.Advance(at - Now);
    }

    [DbFact]
    public async Task Admins_define_tiers_and_the_policy_and_bad_definitions_are_typed_errors()
    {
        var slug = await ProgramAsync("SPEND", "DOWNGRADE_ONE_STEP", "ROLLING_12_MONTHS");
        var platinum = await CreateTierAsync(slug, "Platinum", 2500.5m, 2m, [new { channel = "POS", multiplier = 3m }]);

        var tiers = (await DataAsync(slug, "{ tiers { id name rank threshold entry earningMultiplier channelMultipliers { channel multiplier } } tierPolicy { metric qualificationPeriod periodEnd } }"));
        var list = tiers.GetProperty("tiers").EnumerateArray().ToList();
        Assert.Equal(["Bronze", "Silver", "Gold", "Platinum"], list.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([0, 1, 2, 3], list.Select(t => t.GetProperty("rank").GetInt32()));
        Assert.Equal([0m, 100m, 500m, 2500.5m], list.Select(t => t.GetProperty("threshold").GetDecimal()));
        Assert.Equal([true, false, false, false], list.Select(t => t.GetProperty("entry").GetBoolean()));
        Assert.Equal("POS", list[3].GetProperty("channelMultipliers")[0].GetProperty("channel").GetString());
        Assert.Equal(3m, list[3].GetProperty("channelMultipliers")[0].GetProperty("multiplier").GetDecimal());
        Assert.Equal(("SPEND", "ROLLING_12_MONTHS", "DOWNGRADE_ONE_STEP"), (tiers.GetProperty("tierPolicy").GetProperty("metric").GetString(),
            tiers.GetProperty("tierPolicy").GetProperty("qualificationPeriod").GetString(), tiers.GetProperty("tierPolicy").GetProperty("periodEnd").GetString()));

        // A new threshold moves the tier: ranks follow thresholds.
        using (var moved = await SendAsync(slug, "mutation($id: ID!) { updateTier(input: { tierId: $id, threshold: 50, channelMultipliers: [] }) { tier { rank threshold channelMultipliers { channel } } userErrors { code } } }", new { id = platinum }))
        {
            var tier = moved.Data.GetProperty("updateTier").GetProperty("tier");
            Assert.Equal((1, 50m, 0), (tier.GetProperty("rank").GetInt32(), tier.GetProperty("threshold").GetDecimal(), tier.GetProperty("channelMultipliers").GetArrayLength()));
        }
        var names = (await DataAsync(slug, "{ tiers { name } }")).GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["Bronze", "Platinum", "Silver", "Gold"], names);

        foreach (var (input, field) in new (object Input, string Field)[]
        {
            (new { name = "Twin", threshold = 100m }, "threshold"),
            (new { name = "GOLD", threshold = 900m }, "name"),
            (new { name = "Cheap", threshold = 900m, earningMultiplier = 0.5m }, "earningMultiplier"),
            (new { name = "Twice", threshold = 900m, channelMultipliers = new[] { new { channel = "POS", multiplier = 2m }, new { channel = "POS", multiplier = 3m } } }, "channelMultipliers"),
            (new { name = "Negative", threshold = -1m }, "threshold"),
        })
        {
            using var refused = await SendAsync(slug, "mutation($input: CreateTierInput!) { createTier(input: $input) { tier { id } userErrors { code field } } }", new { input });
            var error = refused.Data.GetProperty("createTier").GetProperty("userErrors")[0];
            Assert.Equal(("INVALID_INPUT", field), (error.GetProperty("code").GetString(), error.GetProperty("field").GetString()));
            Assert.Equal(JsonValueKind.Null, refused.Data.GetProperty("createTier").GetProperty("tier").ValueKind);
        }
        using var unknown = await SendAsync(slug, "mutation($id: ID!) { updateTier(input: { tierId: $id, name: \"X\" }) { tier { id } userErrors { code } } }", new { id = TierId(Guid.NewGuid()) });
        Assert.Equal(["TIER_NOT_FOUND"], unknown.UserErrorCodes("updateTier"));
        using var deleted = await SendAsync(slug, "mutation($id: ID!) { deleteTier(input: { tierId: $id }) { deletedTierId userErrors { code } } }", new { id = platinum });
        Assert.Equal(platinum, deleted.Data.GetProperty("deleteTier").GetProperty("deletedTierId").GetString());
        Assert.Equal(3, (await DataAsync(slug, "{ tiers { id } }")).GetProperty("tiers").GetArrayLength());
    }

    [DbFact]
    public async Task Crossing_a_spend_threshold_upgrades_at_once_and_the_next_purchase_earns_the_tiers_channel_multiplier()
    {
        var slug = await ProgramAsync("SPEND", "RECOMPUTE", tiers: [("Bronze", 0m, 1m), ("Gold", 100m, 2m)]);
        var gold = (await DataAsync(slug, "{ tiers { id name } }")).GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Gold").GetProperty("id").GetString()!;
        await DataAsync(slug, "mutation($id: ID!) { updateTier(input: { tierId: $id, channelMultipliers: [{ channel: POS, multiplier: 3 }] }) { userErrors { code } } }", new { id = gold });
        var member = await _app.EnrollAsync(slug, "spender@example.com");
        var bystander = await _app.EnrollAsync(slug, "bystander@example.com");

        Assert.Equal(60L, await BuyAsync(slug, member.Id, 60m, "o-1"));
        Assert.Equal("Bronze", Name(await TierAsync(slug, member.Id), "current"));
        var crossedAt = Now;
        Assert.Equal(50L, await BuyAsync(slug, member.Id, 50m, "o-2", "POS")); // crosses 100: this purchase still earns at Bronze's rate
        var tier = await TierAsync(slug, member.Id);
        Assert.Equal(20L, await BuyAsync(slug, member.Id, 10m, "o-3"));        // Gold online: x2
        Assert.Equal(30L, await BuyAsync(slug, member.Id, 10m, "o-4", "POS")); // Gold in store: x3

        Assert.Equal("Gold", Name(tier, "current"));
        Assert.Equal(crossedAt, Time(tier, "achievedAt"));
        Assert.Equal(NextNewYear, Time(tier, "expiresAt"));
        Assert.Equal(("SPEND", 110m), (tier.GetProperty("metric").GetString(), tier.GetProperty("progress").GetDecimal()));
        Assert.Equal(0m, tier.GetProperty("progressNeededToRenew").GetDecimal());
        Assert.Null(Name(tier, "nextTier"));
        Assert.Equal("Gold", Name(tier, "forecastedTierAtExpiration"));

        var events = await TierEventsAsync(slug, member.Id);
        var (type, payload) = Assert.Single(events);
        Assert.Equal(EventTypes.TierAchieved, type);
        Assert.Equal((member.Id, "spender@example.com", "Gold", "Bronze", "Spend", 110m), (payload.GetProperty("memberId").GetGuid(), payload.GetProperty("email").GetString(),
            payload.GetProperty("tierName").GetString(), payload.GetProperty("previousTierName").GetString(), payload.GetProperty("metric").GetString(), payload.GetProperty("progress").GetDecimal()));
        Assert.Equal(NextNewYear, payload.GetProperty("expiresAt").GetDateTimeOffset());

        // A refund lowers the progress but nothing drops before the period ends; the member filter reads the membership.
        await RefundAsync(slug, "o-1", 60m);
        tier = await TierAsync(slug, member.Id);
        Assert.Equal(("Gold", 70m, 30m), (Name(tier, "current"), tier.GetProperty("progress").GetDecimal(), tier.GetProperty("progressNeededToRenew").GetDecimal()));
        var inGold = await DataAsync(slug, "query($t: ID!) { members(first: 10, filter: { tierId: $t }) { nodes { email } } }", new { t = gold });
        Assert.Equal(["spender@example.com"], inGold.GetProperty("members").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("email").GetString()));
        Assert.Equal("Bronze", Name(await TierAsync(slug, bystander.Id), "current"));
        using var inUse = await SendAsync(slug, "mutation($id: ID!) { deleteTier(input: { tierId: $id }) { deletedTierId userErrors { code } } }", new { id = gold });
        Assert.Equal(["TIER_IN_USE"], inUse.UserErrorCodes("deleteTier"));
    }

    [DbFact]
    public async Task Approved_points_crossing_a_threshold_upgrade_under_the_points_earned_metric()
    {
        var slug = await ProgramAsync("POINTS_EARNED", "RECOMPUTE");
        var member = await _app.EnrollAsync(slug, "earner@example.com");

        await BuyAsync(slug, member.Id, 99m, "p-1");
        Assert.Equal("Bronze", Name(await TierAsync(slug, member.Id), "current"));
        await DataAsync(slug, "mutation($id: ID!, $key: String!) { adjustPoints(input: { memberId: $id, points: 1, reason: \"goodwill\", idempotencyKey: $key }) { userErrors { code } } }",
            new { id = MemberId(member.Id), key = Guid.NewGuid().ToString("N") });

        var tier = await TierAsync(slug, member.Id);
        Assert.Equal(("Silver", "POINTS_EARNED", 100m), (Name(tier, "current"), tier.GetProperty("metric").GetString(), tier.GetProperty("progress").GetDecimal()));
        Assert.Equal([EventTypes.TierAchieved], (await TierEventsAsync(slug, member.Id)).Select(e => e.Type));
    }

    [DbFact]
    public async Task After_tiers_are_defined_or_lowered_the_next_run_upgrades_members_who_already_qualify_once()
    {
        var slug = NewSlug("sweep");
        await _app.CreateProgramAsync(slug);
        await DataAsync(slug, "mutation { updateTierPolicy(input: { metric: SPEND }) { userErrors { code } } }");
        var member = await _app.EnrollAsync(slug, "early@example.com");
        await BuyAsync(slug, member.Id, 600m, "e-1"); // before the program had tiers
        await CreateTierAsync(slug, "Bronze", 0m);
        await CreateTierAsync(slug, "Silver", 100m);
        await CreateTierAsync(slug, "Gold", 500m);
        var platinum = await CreateTierAsync(slug, "Platinum", 1000m);
        Assert.Equal("Bronze", Name(await TierAsync(slug, member.Id), "current"));

        var swept = await RunTiersAsync(slug);
        var again = await RunTiersAsync(slug);
        await DataAsync(slug, "mutation($id: ID!) { updateTier(input: { tierId: $id, threshold: 580 }) { userErrors { code } } }", new { id = platinum });
        var lowered = await RunTiersAsync(slug);

        Assert.Equal((1, 0, 1), (swept, again, lowered));
        Assert.Equal("Platinum", Name(await TierAsync(slug, member.Id), "current"));
        var events = await TierEventsAsync(slug, member.Id);
        Assert.Equal([EventTypes.TierAchieved, EventTypes.TierAchieved], events.Select(e => e.Type));
        Assert.Equal([("Gold", "Bronze"), ("Platinum", "Gold")], events.Select(e => (e.Payload.GetProperty("tierName").GetString(), e.Payload.GetProperty("previousTierName").GetString())));
    }

    [DbFact]
    public async Task Concurrent_purchases_that_together_cross_a_threshold_upgrade_the_member_once()
    {
        var slug = await ProgramAsync("SPEND", "RECOMPUTE");
        var member = await _app.EnrollAsync(slug, "rush@example.com");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => BuyAsync(slug, member.Id, 20m, $"rush-{i}")));

        var tier = await TierAsync(slug, member.Id);
        Assert.Equal(("Silver", 160m), (Name(tier, "current"), tier.GetProperty("progress").GetDecimal()));
        var (type, payload) = Assert.Single(await TierEventsAsync(slug, member.Id));
        Assert.Equal((EventTypes.TierAchieved, "Silver"), (type, payload.GetProperty("tierName").GetString()));
        Assert.InRange(payload.GetProperty("progress").GetDecimal(), 100m, 119m); // the purchase that crossed, not a later one
    }

    /// <summary>Gold reached with 600 of spend, then 550 refunded: the period ends with 50 (Bronze's worth), so only the policy decides.</summary>
    [DbTheory]
    [InlineData("RETAIN", "Gold", null)]
    [InlineData("DOWNGRADE_ONE_STEP", "Silver", EventTypes.TierDowngraded)]
    [InlineData("RECOMPUTE", "Bronze", EventTypes.TierDowngraded)]
    [InlineData("RESET", "Bronze", EventTypes.TierReset)]
    public async Task At_the_end_of_the_period_each_policy_applies_once_with_its_event(string policy, string after, string? expectedEvent)
    {
        await using var own = await OwnAppAsync();
        var slug = await ProgramAsync("SPEND", policy);
        var lapsing = await _app.EnrollAsync(slug, "lapsing@example.com");
        var loyal = await _app.EnrollAsync(slug, "loyal@example.com");
        await BuyAsync(slug, lapsing.Id, 600m, "l-1");
        await RefundAsync(slug, "l-1", 550m);
        await BuyAsync(slug, loyal.Id, 600m, "y-1");
        var expiry = NextNewYear;

        MoveTo(expiry.AddHours(1));
        var processed = await RunTiersAsync(slug);
        var rerun = await RunTiersAsync(slug);

        Assert.Equal(expectedEvent is null ? 0 : 1, processed);
        Assert.Equal(0, rerun);
        var tier = await TierAsync(slug, lapsing.Id);
        Assert.Equal(after, Name(tier, "current"));
        var events = (await TierEventsAsync(slug, lapsing.Id)).Where(e => !e.Type.StartsWith("tier.reset_in", StringComparison.Ordinal)).ToList();
        Assert.Equal(EventTypes.TierAchieved, events[0].Type);
        if (expectedEvent is null)
        {
            Assert.Single(events);
            Assert.Null(Time(tier, "expiresAt")); // RETAIN: a tier never lapses
        }
        else
        {
            Assert.Equal(2, events.Count);
            var (type, payload) = events[1];
            Assert.Equal(expectedEvent, type);
            Assert.Equal((lapsing.Id, "lapsing@example.com", after, "Gold", 50m), (payload.GetProperty("memberId").GetGuid(), payload.GetProperty("email").GetString(),
                payload.GetProperty("tierName").GetString(), payload.GetProperty("previousTierName").GetString(), payload.GetProperty("progress").GetDecimal()));
            Assert.Equal(expiry, Time(tier, "achievedAt"));
            Assert.Equal(after == "Bronze" ? null : expiry.AddYears(1), Time(tier, "expiresAt"));
        }
        // The member who spent enough renewed: same tier, next year's expiry, no event.
        var renewed = await TierAsync(slug, loyal.Id);
        Assert.Equal("Gold", Name(renewed, "current"));
        Assert.Equal(policy == "RETAIN" ? null : expiry.AddYears(1), Time(renewed, "expiresAt"));
        Assert.Equal([EventTypes.TierAchieved], (await TierEventsAsync(slug, loyal.Id)).Select(e => e.Type));
    }

    [DbFact]
    public async Task A_run_after_the_period_end_counts_what_the_new_period_already_reached_and_emits_the_net_change_once()
    {
        await using var own = await OwnAppAsync();
        var slug = await ProgramAsync("SPEND", "RESET");
        var member = await _app.EnrollAsync(slug, "quick@example.com");
        await BuyAsync(slug, member.Id, 600m, "n-1");
        await RefundAsync(slug, "n-1", 550m);
        var expiry = NextNewYear;

        MoveTo(expiry.AddDays(2));
        await BuyAsync(slug, member.Id, 120m, "n-2"); // Silver's worth in the new year: Gold is still held until the run
        Assert.Equal("Gold", Name(await TierAsync(slug, member.Id), "current"));
        Assert.Equal(1, await RunTiersAsync(slug));

        var tier = await TierAsync(slug, member.Id);
        Assert.Equal(("Silver", (DateTimeOffset?)expiry.AddYears(1)), (Name(tier, "current"), Time(tier, "expiresAt")));
        var events = await TierEventsAsync(slug, member.Id);
        Assert.Equal([EventTypes.TierAchieved, EventTypes.TierReset], events.Select(e => e.Type));
        Assert.Equal(("Silver", "Gold", 120m), (events[1].Payload.GetProperty("tierName").GetString(), events[1].Payload.GetProperty("previousTierName").GetString(),
            events[1].Payload.GetProperty("progress").GetDecimal()));
    }

    [DbFact]
    public async Task A_run_that_missed_several_periods_catches_up_each_with_its_own_metric()
    {
        await using var own = await OwnAppAsync();
        var slug = await ProgramAsync("SPEND", "DOWNGRADE_ONE_STEP", tiers: [("Bronze", 0m, 1m), ("Silver", 100m, 1m), ("Gold", 500m, 1m), ("Platinum", 1000m, 1m)]);
        var member = await _app.EnrollAsync(slug, "absent@example.com");
        await BuyAsync(slug, member.Id, 1000m, "m-1");
        var expiry = NextNewYear;
        MoveTo(expiry.AddDays(1));
        await BuyAsync(slug, member.Id, 600m, "m-2"); // the next year: Gold's worth

        // Year 1 renews Platinum (1000), year 2 drops one step (600), year 3 one more (nothing bought).
        MoveTo(expiry.AddYears(2).AddHours(1));
        var first = await RunTiersAsync(slug);
        Assert.True(first == 1, string.Join("\n", (await TierEventsAsync(slug, member.Id)).Select(e => e.Type + " " + e.Payload)));
        Assert.Equal(0, await RunTiersAsync(slug));

        var tier = await TierAsync(slug, member.Id);
        Assert.Equal(("Silver", (DateTimeOffset?)expiry.AddYears(3)), (Name(tier, "current"), Time(tier, "expiresAt")));
        var events = await TierEventsAsync(slug, member.Id);
        Assert.Equal([EventTypes.TierAchieved, EventTypes.TierDowngraded], events.Select(e => e.Type));
        Assert.Equal(("Silver", "Platinum", 0m), (events[1].Payload.GetProperty("tierName").GetString(), events[1].Payload.GetProperty("previousTierName").GetString(),
            events[1].Payload.GetProperty("progress").GetDecimal()));
    }

    [DbFact]
    public async Task A_recompute_that_lands_higher_than_the_tier_held_is_an_achievement()
    {
        await using var own = await OwnAppAsync();
        var slug = await ProgramAsync("SPEND", "RECOMPUTE");
        var member = await _app.EnrollAsync(slug, "climber@example.com");
        await BuyAsync(slug, member.Id, 150m, "c-1");
        var gold = (await DataAsync(slug, "{ tiers { id name } }")).GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Gold").GetProperty("id").GetString();
        await DataAsync(slug, "mutation($id: ID!) { updateTier(input: { tierId: $id, threshold: 120 }) { userErrors { code } } }", new { id = gold });
        Assert.Equal("Silver", Name(await TierAsync(slug, member.Id), "current")); // a new threshold waits for a qualifying change or the next tiers run

        MoveTo(NextNewYear.AddMinutes(5));
        Assert.Equal(1, await RunTiersAsync(slug));

        Assert.Equal("Gold", Name(await TierAsync(slug, member.Id), "current"));
        var events = await TierEventsAsync(slug, member.Id);
        Assert.Equal([EventTypes.TierAchieved, EventTypes.TierAchieved], events.Select(e => e.Type));
        Assert.Equal(("Gold", "Silver"), (events[1].Payload.GetProperty("tierName").GetString(), events[1].Payload.GetProperty("previousTierName").GetString()));
    }

    [DbFact]
    public async Task Reset_warnings_go_once_each_4_weeks_2_weeks_and_1_day_before_a_tier_would_drop()
    {
        await using var own = await OwnAppAsync();
        var slug = await ProgramAsync("SPEND", "DOWNGRADE_ONE_STEP");
        var lapsing = await _app.EnrollAsync(slug, "warned@example.com");
        var safe = await _app.EnrollAsync(slug, "safe@example.com");
        await BuyAsync(slug, lapsing.Id, 600m, "w-1");
        await RefundAsync(slug, "w-1", 550m);
        await BuyAsync(slug, safe.Id, 600m, "s-1");
        var expiry = NextNewYear;

        var sent = new List<int>();
        foreach (var before in new[] { TimeSpan.FromDays(27), TimeSpan.FromDays(13), TimeSpan.FromHours(20) })
        {
            MoveTo(expiry - before);
            sent.Add(await RunTiersAsync(slug));
            sent.Add(await RunTiersAsync(slug)); // a rerun sends nothing twice
        }
        MoveTo(expiry.AddMinutes(1));
        sent.Add(await RunTiersAsync(slug));

        Assert.Equal([1, 0, 1, 0, 1, 0, 1], sent);
        var events = await TierEventsAsync(slug, lapsing.Id);
        Assert.Equal([EventTypes.TierAchieved, EventTypes.TierResetIn4Weeks, EventTypes.TierResetIn2Weeks, EventTypes.TierResetIn1Day, EventTypes.TierDowngraded],
            events.Select(e => e.Type));
        var warning = events[1].Payload;
        Assert.Equal((lapsing.Id, "warned@example.com", "Gold", "Silver", 450m), (warning.GetProperty("memberId").GetGuid(), warning.GetProperty("email").GetString(),
            warning.GetProperty("tierName").GetString(), warning.GetProperty("tierNameAfter").GetString(), warning.GetProperty("progressNeededToRenew").GetDecimal()));
        Assert.Equal(expiry, warning.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal([EventTypes.TierAchieved], (await TierEventsAsync(slug, safe.Id)).Select(e => e.Type));
    }

    [DbFact]
    public async Task On_membership_years_a_tier_expires_on_the_next_anniversary_at_midnight_in_the_programs_zone()
    {
        var slug = await ProgramAsync("SPEND", "RECOMPUTE", "MEMBERSHIP_ANNIVERSARY", "Europe/Paris");
        var member = await _app.EnrollAsync(slug, "anniversary@example.com");
        var enrolledLocal = TimeZoneInfo.ConvertTime(Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));

        await BuyAsync(slug, member.Id, 120m, "a-1");
        var tier = await TierAsync(slug, member.Id);

        var anniversary = new DateTime(enrolledLocal.Year + 1, enrolledLocal.Month, Math.Min(enrolledLocal.Day, 28), 0, 0, 0);
        var expected = new DateTimeOffset(anniversary, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris").GetUtcOffset(anniversary));
        Assert.Equal("Silver", Name(tier, "current"));
        if (enrolledLocal.Day <= 28)
            Assert.Equal(expected.ToUniversalTime(), Time(tier, "expiresAt"));
        Assert.Equal(Time(tier, "expiresAt"), Time(tier, "periodEnd"));
    }
}

public sealed class TierLifecycleTestsOnSqlite(SqliteFixture fixture) : TierLifecycleTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TierLifecycleTestsOnPostgres(PostgresFixture fixture) : TierLifecycleTests(fixture), IClassFixture<PostgresFixture>;
