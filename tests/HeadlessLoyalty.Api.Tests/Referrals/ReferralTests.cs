using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Referrals;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;

namespace HeadlessLoyalty.Api.Tests.Referrals;

/// <summary>
/// Referrals through GraphQL over HTTP: an admin sets the rules, staff enroll a friend with a member's code, the
/// friend's first qualifying purchase rewards both once when its points are approved (the pending-approval job).
/// </summary>
public abstract class ReferralTests(DatabaseFixture fixture)
{
    private const string Enroll = """
        mutation($input: EnrollMemberInput!) {
          enrollMember(input: $input) { member { id email referralCode referralUrl referralStatus referredBy { id email } } userErrors { code field } }
        }
        """;

    private const string Settings = """
        mutation($input: ReferralSettingsInput!) {
          updateReferralSettings(input: $input) {
            referralSettings { enabled baseUrl referrerRewardKind referrerPoints referrerRewardId friendRewardKind friendPoints friendRewardId minPurchaseAmount }
            userErrors { code field }
          }
        }
        """;

    private const string Record = """
        mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { purchase { id pointsApprovedAt } replayed userErrors { code field } } }
        """;

    private const string MemberFields = """
        query($id: ID!) {
          member(by: { id: $id }) {
            email referralCode referralUrl referralStatus referralsCount referralsRewarded referredBy { email }
            balance { approved pending } rewardsClaimed coupons { nodes { code kind value pointsSpent status } }
          }
        }
        """;

    private const string RunApproval = "mutation { runJob(name: \"pending-approval\") { run { processed } userErrors { code } } }";

    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private static Guid Raw(string globalId)
    {
        Assert.True(GlobalId.TryDecode(globalId, out _, out var raw));
        return Guid.Parse(raw);
    }

    private sealed record Shop(string Slug, HttpClient Admin) : IDisposable
    {
        public void Dispose() => Admin.Dispose();
    }

    private async Task<Shop> ProgramAsync(string prefix, int pendingDays = 0)
    {
        var slug = NewSlug(prefix);
        await _app.CreateProgramAsync(slug);
        var admin = _app.CreateClient(_app.MintToken(slug, Roles.Admin, lifetime: TimeSpan.FromDays(365))); // outlives the clock moves
        if (pendingDays > 0)
        {
            var rules = await admin.FieldAsync("mutation($input: EarningRulesInput!) { updateEarningRules(input: $input) { userErrors { code } } }",
                "updateEarningRules", new { input = new { pendingDays } });
            Assert.Empty(UserErrorsOf(rules));
        }
        return new Shop(slug, admin);
    }

    private static async Task<JsonElement> SetAsync(Shop p, object input)
    {
        var payload = await p.Admin.FieldAsync(Settings, "updateReferralSettings", new { input });
        Assert.Empty(UserErrorsOf(payload));
        return payload.GetProperty("referralSettings");
    }

    private static async Task<JsonElement> EnrollAsync(Shop p, string email, string? referralCode = null)
    {
        var payload = await p.Admin.FieldAsync(Enroll, "enrollMember", new { input = new { email, referralCode } });
        Assert.Empty(UserErrorsOf(payload));
        return payload.GetProperty("member");
    }

    private static Task<JsonElement> MemberAsync(Shop p, JsonElement member) =>
        p.Admin.FieldAsync(MemberFields, "member", new { id = member.GetProperty("id").GetString() });

    private static async Task BuyAsync(Shop p, JsonElement member, string order, decimal amount)
    {
        var payload = await p.Admin.FieldAsync(Record, "recordPurchase", new
        {
            input = new { memberId = member.GetProperty("id").GetString(), channel = "ONLINE", storeId = "shop", orderReference = order, amount, currency = "USD" },
        });
        Assert.Empty(UserErrorsOf(payload));
    }

    private async Task<int> ApproveDueAsync(Shop p)
    {
        var run = await p.Admin.FieldAsync(RunApproval, "runJob", new { });
        Assert.Empty(UserErrorsOf(run));
        return run.GetProperty("run").GetProperty("processed").GetInt32();
    }

    private Task<List<DomainEvent>> EventsAsync(string slug, string type) => _app.WithTenantAsync(slug, async db =>
        (await db.DomainEvents.AsNoTracking().Where(e => e.Type == type).ToListAsync()).OrderBy(e => e.Id.ToString(), StringComparer.Ordinal).ToList());

    private Task<int> CountEventsAsync(string slug, params string[] types) => _app.WithTenantAsync(slug, db => db.DomainEvents.CountAsync(e => types.Contains(e.Type)));

    private static long Approved(JsonElement member) => member.GetProperty("balance").GetProperty("approved").GetInt64();

    [DbFact]
    public async Task A_friend_enrolled_with_a_code_is_linked_to_the_referrer_and_an_unknown_or_own_code_creates_nothing()
    {
        using var p = await ProgramAsync("rf");
        var alice = await EnrollAsync(p, "alice@example.com");
        var code = alice.GetProperty("referralCode").GetString()!;
        Assert.Matches("^[2-9A-HJKMNP-Z]{8}$", code);
        Assert.Equal(JsonValueKind.Null, alice.GetProperty("referralUrl").ValueKind); // no base URL yet
        Assert.Equal(JsonValueKind.Null, alice.GetProperty("referredBy").ValueKind);
        Assert.Equal(JsonValueKind.Null, alice.GetProperty("referralStatus").ValueKind);

        var settings = await SetAsync(p, new { baseUrl = "https://shop.example/?ref=" });
        // Typed as printed on a card: lower case, in groups.
        var bob = await EnrollAsync(p, "bob@example.com", $"{code[..4].ToLowerInvariant()}-{code[4..]}");
        var unknown = await p.Admin.FieldAsync(Enroll, "enrollMember", new { input = new { email = "carol@example.com", referralCode = "ZZZZZZZZZ" } });
        var self = await p.Admin.FieldAsync(Enroll, "enrollMember", new { input = new { email = "Alice+second@Example.com", referralCode = code } });

        Assert.Equal("https://shop.example/?ref=", settings.GetProperty("baseUrl").GetString());
        Assert.Equal(("alice@example.com", "PENDING"), (bob.GetProperty("referredBy").GetProperty("email").GetString(), bob.GetProperty("referralStatus").GetString()));
        Assert.NotEqual(code, bob.GetProperty("referralCode").GetString());
        Assert.Equal($"https://shop.example/?ref={bob.GetProperty("referralCode").GetString()}", bob.GetProperty("referralUrl").GetString());
        Assert.Equal(["REFERRAL_CODE_NOT_FOUND:referralCode"], UserErrorsOf(unknown));
        Assert.Equal(["SELF_REFERRAL:referralCode"], UserErrorsOf(self));
        Assert.Equal(JsonValueKind.Null, self.GetProperty("member").ValueKind);
        Assert.Equal(2, await _app.WithTenantAsync(p.Slug, db => db.Members.CountAsync()));
        Assert.Equal(2, await _app.WithTenantAsync(p.Slug, db => db.MemberReferrals.CountAsync()));
        Assert.Equal(2, await CountEventsAsync(p.Slug, EventTypes.MemberEnrolled));

        // Bob's storefront sees his own code and link, not who referred him (another member's data).
        using var bobStorefront = _app.CreateClient(_app.MintToken(p.Slug, Roles.Storefront, Raw(bob.GetProperty("id").GetString()!)));
        using var me = await bobStorefront.PostGraphQLAsync("{ me { referralCode referralUrl referralStatus referredBy { email } } }");
        Assert.True(me.Status == HttpStatusCode.OK && !me.HasErrors, me.ToString());
        Assert.Equal(bob.GetProperty("referralUrl").GetString(), me.Data.GetProperty("me").GetProperty("referralUrl").GetString());
        Assert.Equal("PENDING", me.Data.GetProperty("me").GetProperty("referralStatus").GetString());
        Assert.Equal(JsonValueKind.Null, me.Data.GetProperty("me").GetProperty("referredBy").ValueKind);
        Assert.DoesNotContain("alice@example.com", me.Text);

        var aliceNow = await MemberAsync(p, alice);
        Assert.Equal($"https://shop.example/?ref={code}", aliceNow.GetProperty("referralUrl").GetString());
        Assert.Equal((1, 0), (aliceNow.GetProperty("referralsCount").GetInt32(), aliceNow.GetProperty("referralsRewarded").GetInt32()));
    }

    [DbFact]
    public async Task The_friends_first_qualifying_purchase_rewards_both_once_when_its_points_are_approved()
    {
        using var p = await ProgramAsync("rq", pendingDays: 14);
        var settings = await SetAsync(p, new { enabled = true, referrerRewardKind = "POINTS", referrerPoints = 100, friendRewardKind = "POINTS", friendPoints = 50, minPurchaseAmount = 20 });
        var alice = await EnrollAsync(p, "alice@example.com");
        var bob = await EnrollAsync(p, "bob@example.com", alice.GetProperty("referralCode").GetString());

        await BuyAsync(p, bob, "small", 10m); // below the minimum
        await BuyAsync(p, bob, "big", 30m);
        await BuyAsync(p, bob, "big", 30m);   // the store's retry
        var beforeWindow = await MemberAsync(p, alice);
        _app.Clock.Advance(TimeSpan.FromDays(15));
        var approved = await ApproveDueAsync(p);
        var again = await ApproveDueAsync(p);
        await BuyAsync(p, bob, "later", 40m);
        _app.Clock.Advance(TimeSpan.FromDays(15));
        await ApproveDueAsync(p);

        Assert.Equal(("POINTS", 100L, 50L, 20m), (settings.GetProperty("referrerRewardKind").GetString(), settings.GetProperty("referrerPoints").GetInt64(),
            settings.GetProperty("friendPoints").GetInt64(), settings.GetProperty("minPurchaseAmount").GetDecimal()));
        Assert.Equal(0L, Approved(beforeWindow));
        Assert.Equal((2, 0), (approved, again));
        var aliceAfter = await MemberAsync(p, alice);
        var bobAfter = await MemberAsync(p, bob);
        Assert.Equal(100L, Approved(aliceAfter));
        Assert.Equal(10L + 30 + 50 + 40, Approved(bobAfter));
        Assert.Equal("REWARDED", bobAfter.GetProperty("referralStatus").GetString());
        Assert.Equal((1, 1), (aliceAfter.GetProperty("referralsCount").GetInt32(), aliceAfter.GetProperty("referralsRewarded").GetInt32()));

        var firstPurchase = Assert.Single(await EventsAsync(p.Slug, EventTypes.ReferredFriendFirstPurchase));
        var rewarded = Assert.Single(await EventsAsync(p.Slug, EventTypes.ReferrerRewardedWithPoints));
        Assert.Empty(await EventsAsync(p.Slug, EventTypes.ReferrerRewardedWithCoupon));
        var (aliceId, bobId) = (Raw(alice.GetProperty("id").GetString()!), Raw(bob.GetProperty("id").GetString()!));
        Assert.Equal(aliceId, firstPurchase.MemberId);
        Assert.Equal(new ReferralFriendPurchasePayload(aliceId, "alice@example.com", bobId, "bob@example.com", "big", 30m, "USD", 50, null),
            DomainEvents.Read<ReferralFriendPurchasePayload>(firstPurchase));
        Assert.Equal(new ReferrerRewardedWithPointsPayload(aliceId, "alice@example.com", bobId, "bob@example.com", 100, 100),
            DomainEvents.Read<ReferrerRewardedWithPointsPayload>(rewarded));
    }

    [DbFact]
    public async Task A_purchase_refunded_within_its_return_window_rewards_nobody_and_a_later_one_does()
    {
        using var p = await ProgramAsync("rr", pendingDays: 7);
        await SetAsync(p, new { enabled = true, referrerRewardKind = "POINTS", referrerPoints = 100 });
        var alice = await EnrollAsync(p, "alice@example.com");
        var bob = await EnrollAsync(p, "bob@example.com", alice.GetProperty("referralCode").GetString());

        await BuyAsync(p, bob, "returned", 50m);
        var refund = await p.Admin.FieldAsync("mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { userErrors { code } } }", "reversePurchase",
            new { input = new { channel = "ONLINE", storeId = "shop", orderReference = "returned" } });
        Assert.Empty(UserErrorsOf(refund));
        _app.Clock.Advance(TimeSpan.FromDays(8));
        await ApproveDueAsync(p);
        var afterRefund = await MemberAsync(p, bob);
        var eventsAfterRefund = await CountEventsAsync(p.Slug, EventTypes.ReferredFriendFirstPurchase, EventTypes.ReferrerRewardedWithPoints);

        await BuyAsync(p, bob, "kept", 20m);
        _app.Clock.Advance(TimeSpan.FromDays(8));
        await ApproveDueAsync(p);

        Assert.Equal("PENDING", afterRefund.GetProperty("referralStatus").GetString());
        Assert.Equal(0, eventsAfterRefund);
        Assert.Equal(100L, Approved(await MemberAsync(p, alice)));
        Assert.Equal(20L, Approved(await MemberAsync(p, bob))); // the friend's side gives nothing here
        var first = Assert.Single(await EventsAsync(p.Slug, EventTypes.ReferredFriendFirstPurchase));
        Assert.Equal(("kept", 0L), (DomainEvents.Read<ReferralFriendPurchasePayload>(first).OrderReference, DomainEvents.Read<ReferralFriendPurchasePayload>(first).FriendPoints));
    }

    [DbFact]
    public async Task A_coupon_rewards_the_referrer_without_spending_points_and_bad_settings_change_nothing()
    {
        using var p = await ProgramAsync("rc");
        var reward = await p.Admin.FieldAsync("mutation { createReward(input: { name: \"5 off\", kind: FIXED_AMOUNT_COUPON, pointsCost: 500, value: 5, codePrefix: \"REF\" }) { reward { id } userErrors { code } } }",
            "createReward", new { });
        var rewardId = reward.GetProperty("reward").GetProperty("id").GetString()!;
        var settings = await SetAsync(p, new { enabled = true, referrerRewardKind = "COUPON", referrerRewardId = rewardId, friendRewardKind = "POINTS", friendPoints = 25 });
        var unknownReward = await p.Admin.FieldAsync(Settings, "updateReferralSettings", new { input = new { friendRewardKind = "COUPON", friendRewardId = RewardId(Guid.NewGuid()) } });
        var badUrl = await p.Admin.FieldAsync(Settings, "updateReferralSettings", new { input = new { baseUrl = "javascript:alert(1)" } });
        var missingPoints = await p.Admin.FieldAsync(Settings, "updateReferralSettings", new { input = new { referrerRewardKind = "POINTS" } });
        using var read = await p.Admin.PostGraphQLAsync("{ referralSettings { enabled referrerRewardKind referrerRewardId friendRewardKind friendPoints baseUrl } }");
        var alice = await EnrollAsync(p, "alice@example.com");
        var bob = await EnrollAsync(p, "bob@example.com", alice.GetProperty("referralCode").GetString());

        await BuyAsync(p, bob, "c1", 10m); // completed, no return window: approved, and rewarded, at once

        Assert.Equal(rewardId, settings.GetProperty("referrerRewardId").GetString());
        Assert.Equal(["REWARD_NOT_FOUND:friendRewardId"], UserErrorsOf(unknownReward));
        Assert.Equal(["INVALID_INPUT:baseUrl"], UserErrorsOf(badUrl));
        Assert.Equal(["INVALID_INPUT:referrerPoints"], UserErrorsOf(missingPoints));
        Assert.Equal(settings.GetProperty("referrerRewardId").GetString(), read.Data.GetProperty("referralSettings").GetProperty("referrerRewardId").GetString());
        Assert.Equal(("COUPON", "POINTS", 25L), (read.Data.GetProperty("referralSettings").GetProperty("referrerRewardKind").GetString(),
            read.Data.GetProperty("referralSettings").GetProperty("friendRewardKind").GetString(), read.Data.GetProperty("referralSettings").GetProperty("friendPoints").GetInt64()));
        var aliceAfter = await MemberAsync(p, alice);
        var coupon = Assert.Single(aliceAfter.GetProperty("coupons").GetProperty("nodes").EnumerateArray());
        Assert.Matches("^REF-[A-Z2-9]{8}$", coupon.GetProperty("code").GetString());
        Assert.Equal(("FIXED_AMOUNT_COUPON", 5m, 0L, "ISSUED"), (coupon.GetProperty("kind").GetString(), coupon.GetProperty("value").GetDecimal(),
            coupon.GetProperty("pointsSpent").GetInt64(), coupon.GetProperty("status").GetString()));
        Assert.Equal((0L, 1), (Approved(aliceAfter), aliceAfter.GetProperty("rewardsClaimed").GetInt32()));
        Assert.Equal(10L + 25, Approved(await MemberAsync(p, bob)));
        var e = Assert.Single(await EventsAsync(p.Slug, EventTypes.ReferrerRewardedWithCoupon));
        var payload = DomainEvents.Read<ReferrerRewardedWithCouponPayload>(e);
        Assert.Equal((Raw(alice.GetProperty("id").GetString()!), "alice@example.com", Raw(bob.GetProperty("id").GetString()!), Raw(rewardId), "5 off", coupon.GetProperty("code").GetString(), 5m, "USD"),
            (payload.MemberId, payload.Email, payload.FriendId, payload.RewardId, payload.RewardName, payload.CouponCode, payload.Value, payload.Currency));
        Assert.Empty(await EventsAsync(p.Slug, EventTypes.ReferrerRewardedWithPoints));
        Assert.Single(await EventsAsync(p.Slug, EventTypes.ReferredFriendFirstPurchase));
    }

    [DbFact]
    public async Task Concurrent_purchases_replays_and_approval_runs_of_one_friend_reward_the_referral_once()
    {
        using var p = await ProgramAsync("rx");
        await SetAsync(p, new { enabled = true, referrerRewardKind = "POINTS", referrerPoints = 100, friendRewardKind = "POINTS", friendPoints = 10 });
        var alice = await EnrollAsync(p, "alice@example.com");
        var bob = await EnrollAsync(p, "bob@example.com", alice.GetProperty("referralCode").GetString());
        var carol = await EnrollAsync(p, "carol@example.com", alice.GetProperty("referralCode").GetString());

        // Bob: eight orders, each sent twice, all at once; each is approved at once (no return window).
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => BuyAsync(p, bob, $"bob-{i % 8}", 5m)));

        // Carol: two due purchases approved by three concurrent approval runs.
        await p.Admin.FieldAsync("mutation($input: EarningRulesInput!) { updateEarningRules(input: $input) { userErrors { code } } }", "updateEarningRules", new { input = new { pendingDays = 2 } });
        await BuyAsync(p, carol, "carol-1", 5m);
        await BuyAsync(p, carol, "carol-2", 5m);
        _app.Clock.Advance(TimeSpan.FromDays(3));
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _app.WithTenantAsync(p.Slug, db => PurchaseOperations.ApproveDueAsync(db, _app.Clock))));

        Assert.Equal(2, runs.Sum());
        Assert.Equal(200L, Approved(await MemberAsync(p, alice)));
        Assert.Equal(8 * 5L + 10, Approved(await MemberAsync(p, bob)));
        Assert.Equal(2 * 5L + 10, Approved(await MemberAsync(p, carol)));
        Assert.Equal(2, (await EventsAsync(p.Slug, EventTypes.ReferredFriendFirstPurchase)).Count);
        Assert.Equal(2, (await EventsAsync(p.Slug, EventTypes.ReferrerRewardedWithPoints)).Count);
        Assert.Equal(8 + 2, await _app.WithTenantAsync(p.Slug, db => db.Purchases.CountAsync()));
    }

    [DbFact]
    public async Task Eligibility_is_announced_each_time_the_approved_balance_crosses_the_cheapest_enabled_reward()
    {
        using var p = await ProgramAsync("re", pendingDays: 5);
        foreach (var input in new object[]
        {
            new { name = "Ship", kind = "FREE_SHIPPING", pointsCost = 100 },
            new { name = "Discount", kind = "POINTS_DISCOUNT", valuePerPoint = 0.05m, minPoints = 80 },
            new { name = "Off", kind = "FREE_SHIPPING", pointsCost = 10, enabled = false },
        })
            Assert.Empty(UserErrorsOf(await p.Admin.FieldAsync("mutation($input: RewardInput!) { createReward(input: $input) { userErrors { code } } }", "createReward", new { input })));
        var member = await EnrollAsync(p, "dana@example.com");
        var id = member.GetProperty("id").GetString()!;
        async Task AdjustAsync(long points) => Assert.Empty(UserErrorsOf(await p.Admin.FieldAsync(
            "mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { userErrors { code } } }", "adjustPoints",
            new { input = new { memberId = id, points, reason = "test", idempotencyKey = Guid.NewGuid().ToString("N") } })));

        await AdjustAsync(50);   // 50
        await AdjustAsync(40);   // 90: crosses 80
        await AdjustAsync(20);   // 110
        await AdjustAsync(-60);  // 50: below again
        await AdjustAsync(30);   // 80: crosses again
        await AdjustAsync(-10);  // 70
        await BuyAsync(p, member, "e1", 40m); // pending: approved stays 70
        var beforeApproval = await CountEventsAsync(p.Slug, EventTypes.EligibleForReward);
        _app.Clock.Advance(TimeSpan.FromDays(6));
        await ApproveDueAsync(p); // 110: the approval crosses

        Assert.Equal(2, beforeApproval);
        var events = await EventsAsync(p.Slug, EventTypes.EligibleForReward);
        var payloads = events.Select(DomainEvents.Read<EligibleForRewardPayload>).ToList();
        Assert.Equal([90L, 80L, 110L], payloads.Select(x => x.Balance));
        Assert.All(payloads, x => Assert.Equal((Raw(id), "dana@example.com", "Discount", 80L), (x.MemberId, x.Email, x.RewardName, x.RewardCost)));
        Assert.All(events, e => Assert.Equal(Raw(id), e.MemberId));
    }

    [DbFact]
    public async Task A_program_without_an_enabled_reward_announces_no_eligibility()
    {
        using var p = await ProgramAsync("rn");
        var member = await EnrollAsync(p, "erin@example.com");
        await BuyAsync(p, member, "n1", 500m);

        Assert.Equal(500L, Approved(await MemberAsync(p, member)));
        Assert.Equal(0, await CountEventsAsync(p.Slug, EventTypes.EligibleForReward));
    }

    [DbFact]
    public async Task Referral_fields_of_a_member_list_cost_the_same_few_commands_for_5_and_for_50_members()
    {
        async Task<int> MeasureAsync(int count)
        {
            using var p = await ProgramAsync("rl");
            await SetAsync(p, new { baseUrl = "https://shop.example/r/" });
            var referrer = await _app.EnrollAsync(p.Slug, "referrer@example.com");
            var code = await _app.WithTenantAsync(p.Slug, db => db.MemberReferrals.Where(r => r.MemberId == referrer.Id).Select(r => r.Code).SingleAsync());
            for (var i = 1; i < count; i++)
                await _app.WithTenantAsync(p.Slug, db => MemberOperations.EnrollAsync(db, _app.Clock, "test:seed", new EnrollMemberInput($"f{i:D3}@example.com", ReferralCode: code)));
            const string query = "query($first: Int!) { members(first: $first) { nodes { email referralCode referralUrl referralStatus referralsCount referralsRewarded referredBy { email referralCode } } } }";
            using (var warmUp = await p.Admin.PostGraphQLAsync(query, new { first = count }))
                Assert.True(warmUp.Status == HttpStatusCode.OK && !warmUp.HasErrors, warmUp.ToString());

            _app.SqlCommands.Reset();
            using var result = await p.Admin.PostGraphQLAsync(query, new { first = count });
            var commands = _app.SqlCommands.Count;

            Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
            var nodes = result.Data.GetProperty("members").GetProperty("nodes").EnumerateArray().ToList();
            Assert.Equal(count, nodes.Count);
            Assert.Equal(count - 1, nodes[0].GetProperty("referralsCount").GetInt32());
            Assert.All(nodes.Skip(1), n =>
            {
                Assert.Equal("referrer@example.com", n.GetProperty("referredBy").GetProperty("email").GetString());
                Assert.Equal(code, n.GetProperty("referredBy").GetProperty("referralCode").GetString());
                Assert.Equal($"https://shop.example/r/{n.GetProperty("referralCode").GetString()}", n.GetProperty("referralUrl").GetString());
            });
            return commands;
        }

        var five = await MeasureAsync(5);
        var fifty = await MeasureAsync(50);

        Assert.Equal(five, fifty);
        Assert.True(fifty <= 8, $"{fifty} commands for one page");
    }

    [DbFact]
    public async Task Members_without_a_referral_code_get_one_from_the_back_fill_and_a_rerun_adds_none()
    {
        using var p = await ProgramAsync("rb");
        var enrolled = await EnrollAsync(p, "kept@example.com");
        var id = Guid.NewGuid();
        await _app.WithTenantAsync(p.Slug, db =>
        {
            db.Members.Add(new Member { Id = id, Email = "old@example.com", NormalizedEmail = "old@example.com", MemberCode = "OLD00001", MemberNumber = 99, EnrolledAt = _app.Clock.GetUtcNow() });
            return db.SaveChangesAsync();
        });
        var before = await _app.WithTenantAsync(p.Slug, db => db.MemberReferrals.AnyAsync(r => r.MemberId == id));

        var added = await _app.WithTenantlessDb(db => ReferralOperations.BackfillCodesAsync(db, batchSize: 1));
        var rerun = await _app.WithTenantlessDb(db => ReferralOperations.BackfillCodesAsync(db));

        Assert.False(before);
        Assert.True(added >= 1);
        Assert.Equal(0, rerun);
        var old = await p.Admin.FieldAsync("query($id: ID!) { member(by: { id: $id }) { referralCode } }", "member", new { id = MemberId(id) });
        Assert.Matches("^[2-9A-HJKMNP-Z]{8}$", old.GetProperty("referralCode").GetString());
        Assert.Equal(enrolled.GetProperty("referralCode").GetString(), (await MemberAsync(p, enrolled)).GetProperty("referralCode").GetString());
    }
}

public sealed class ReferralTestsOnSqlite(SqliteFixture fixture) : ReferralTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ReferralTestsOnPostgres(PostgresFixture fixture) : ReferralTests(fixture), IClassFixture<PostgresFixture>;
