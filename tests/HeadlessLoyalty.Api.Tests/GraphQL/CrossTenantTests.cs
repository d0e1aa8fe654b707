using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Referrals;
using HeadlessLoyalty.Api.Tiers;
using HeadlessLoyalty.Api.Webhooks;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>
/// A caller of program A walks every root field with program B's ids, emails, codes and numbers: B's rows behave
/// exactly like rows that do not exist, nothing of B is changed, and no value of B appears in any response.
/// </summary>
public abstract class CrossTenantTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private sealed record Tenant(string Slug, string Tag, IReadOnlyList<MemberView> Members, IReadOnlyList<Guid> EntryIds, IReadOnlyList<Guid> TierIds, IReadOnlyList<PurchaseView> Purchases, IReadOnlyList<ActivityAwardView> Awards, Reward Reward)
    {
        public MemberView First => Members[0];
        /// <summary>The program's custom activity key (carries the tag).</summary>
        public string CustomKey => $"quiz-{Tag}";
    }

    /// <summary>A program whose names carry <paramref name="tag"/> (so a leak is searchable), tiers, earning rules, activity rules, members, points, purchases, activity awards, one blocked member.</summary>
    private async Task<Tenant> SeedAsync(string prefix, int memberCount)
    {
        var slug = NewSlug(prefix);
        var tag = $"{prefix}{Guid.NewGuid():N}"[..16];
        await _app.CreateProgramAsync(slug, $"Program {tag}");
        var tiers = await _app.AddTiersAsync(slug, ($"Base{tag}", 0), ($"Silver{tag}", 100), ($"Gold{tag}", 1_000));
        await _app.WithTenantAsync(slug, db => PurchaseOperations.UpdateSettingsAsync(db, _app.Clock, new EarningSettings(PointsPerCurrencyUnit: 3m, WelcomeBonusPoints: 7)));
        await _app.WithTenantAsync(slug, db => ActivityOperations.UpsertRuleAsync(db, _app.Clock, new ActivityRuleInput(ActivityType.Review, null, 4, DailyLimit: 5, Description: $"Review {tag}")));
        await _app.WithTenantAsync(slug, db => ActivityOperations.UpsertRuleAsync(db, _app.Clock, new ActivityRuleInput(ActivityType.Custom, $"quiz-{tag}", 6)));
        var members = new List<MemberView>();
        var entries = new List<Guid>();
        var purchases = new List<PurchaseView>();
        var awards = new List<ActivityAwardView>();
        for (var i = 0; i < memberCount; i++)
        {
            var member = await _app.EnrollAsync(slug, $"{tag}-{i}@example.com", $"First{tag}{i}", $"Last{tag}{i}");
            members.Add(member);
            entries.Add((await _app.AdjustAsync(slug, member.Id, 150 + i)).Entry.Id);
            entries.Add((await _app.PostAsync(slug, new PostPointsInput(member.Id, LedgerEntryKind.Earn, 20, SourceReference: $"order-{tag}-{i}"))).Entry.Id);
            purchases.Add((await _app.WithTenantAsync(slug, db => PurchaseOperations.RecordAsync(db, _app.Clock, "test:seed", new RecordPurchaseInput(
                member.Id, PurchaseChannel.Online, "shop", null, $"purchase-{tag}-{i}", 10m, null, "USD", null, PurchaseStatus.Completed)))).Purchase);
            awards.Add((await _app.WithTenantAsync(slug, db => ActivityOperations.RecordAsync(db, _app.Clock, "test:seed",
                new RecordActivityInput(member.Id, "review", $"review-{tag}-{i}")))).Award);
        }
        var reward = await _app.WithTenantAsync(slug, db => RewardOperations.CreateAsync(db, _app.Clock, new RewardDefinition($"Reward{tag}", RewardKind.FreeShipping, 10)));
        await _app.WithTenantAsync(slug, db => RewardOperations.RedeemAsync(db, _app.Clock, "test:seed", new RedeemInput(members[0].Id, reward.Id), $"seed-{tag}"));
        await _app.WithTenantAsync(slug, db => MemberOperations.BlockAsync(db, _app.Clock, "test:seed", members[^1].Id));
        return new Tenant(slug, tag, members, entries, [.. tiers.Select(t => t.Id)], purchases, awards, reward);
    }

    private sealed record Snapshot(string Members, string Balances, string Entries, string Idempotency, string Purchases, string EarningRules, string ActivityRules, string ActivityAwards, string Rewards, string Coupons, string Events, string ExpiryPolicy, string Lots, string Tiers);

    /// <summary>Everything of a program that a write could touch, as comparable text.</summary>
    private Task<Snapshot> SnapshotAsync(string slug) => _app.WithTenantAsync(slug, async db => new Snapshot(
        string.Join("\n", (await db.Members.AsNoTracking().OrderBy(m => m.MemberNumber).ToListAsync())
            .Select(m => $"{m.Id}|{m.Email}|{m.FirstName}|{m.LastName}|{m.Phone}|{m.Status}|{m.UpdatedAt:O}")),
        string.Join("\n", (await db.Balances.AsNoTracking().OrderBy(b => b.MemberId).ToListAsync())
            .Select(b => $"{b.MemberId}|{b.Approved}|{b.Pending}|{b.Lifetime}|{b.Spent}|{b.Version}")),
        string.Join("\n", (await db.LedgerEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync()).Select(e => $"{e.Id}|{e.Points}|{e.Status}")),
        string.Join("\n", (await db.IdempotencyRecords.AsNoTracking().ToListAsync()).Select(r => $"{r.Operation}|{r.Key}").Order()),
        string.Join("\n", (await db.Purchases.AsNoTracking().OrderBy(p => p.Id).ToListAsync()).Select(p => $"{p.Id}|{p.Status}|{p.RefundedAmount}|{p.PointsReversed}|{p.PointsApprovedAt:O}")),
        (await PurchaseOperations.GetSettingsAsync(db)).ToString(),
        string.Join("\n", await ActivityOperations.GetRulesAsync(db)),
        string.Join("\n", (await db.ActivityAwards.AsNoTracking().OrderBy(a => a.Id).ToListAsync()).Select(a => $"{a.Id}|{a.MemberId}|{a.RuleKey}|{a.Reference}|{a.Points}|{a.EntryId}")),
        string.Join("\n", (await db.Rewards.AsNoTracking().OrderBy(r => r.Id).ToListAsync()).Select(r => $"{r.Id}|{r.Name}|{r.PointsCost}|{r.Enabled}")),
        string.Join("\n", (await db.Coupons.AsNoTracking().OrderBy(c => c.Id).ToListAsync()).Select(c => $"{c.Id}|{c.Code}|{c.Status}")),
        string.Join("\n", (await db.DomainEvents.AsNoTracking().ToListAsync()).Select(e => $"{e.Id}|{e.Type}").Order()),
        (await ExpiryOperations.GetPolicyAsync(db)).ToString(),
        string.Join("\n", (await db.PointsLots.AsNoTracking().OrderBy(l => l.Id).ToListAsync()).Select(l => $"{l.Id}|{l.Points}|{l.Remaining}|{l.ExpiresAt:O}")),
        string.Join("\n", (await db.Tiers.AsNoTracking().OrderBy(t => t.Rank).ToListAsync()).Select(t => $"{t.Id}|{t.Name}|{t.Rank}|{t.Threshold}|{t.EarningMultiplier}")
            .Append((await TierOperations.GetPolicyAsync(db)).ToString())
            .Concat((await db.MemberTiers.AsNoTracking().OrderBy(m => m.MemberId).ToListAsync()).Select(m => $"{m.MemberId}|{m.TierId}|{m.ExpiresAt:O}|{m.Version}")))));

    /// <summary>Every value of B a response of A must never contain.</summary>
    private static IEnumerable<string> Secrets(Tenant b) =>
        [b.Slug, b.Tag,
         .. b.Members.SelectMany(m => new[] { m.Id.ToString(), MemberId(m.Id), m.MemberCode, m.Email }),
         .. b.EntryIds.SelectMany(e => new[] { e.ToString(), EntryId(e) }),
         .. b.TierIds.SelectMany(t => new[] { t.ToString(), TierId(t) }),
         .. b.Purchases.SelectMany(p => new[] { p.Id.ToString(), PurchaseId(p.Id), p.OrderReference }),
         b.Reward.Id.ToString(), RewardId(b.Reward.Id),
         .. b.Awards.SelectMany(a => new[] { a.Id.ToString(), AwardId(a.Id), a.Reference })];

    /// <param name="sent">Values of B the request itself carried: an error message may echo the caller's own input.</param>
    private static void AssertNoLeak(GraphQLResult result, Tenant b, string what, params string[] sent)
    {
        foreach (var secret in Secrets(b).Except(sent))
            Assert.False(result.Text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{what}: B's value '{secret}' leaked into A's response: {result}");
    }

    private static bool Allowed(string role, string field) => AuthorizationMatrixTests.AllowedRoles[field].Contains(role);

    [DbTheory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Service)]
    public async Task Queries_of_program_A_treat_B_ids_like_nonexistent_ids(string role)
    {
        var a = await SeedAsync("a", 2);
        var b = await SeedAsync("b", 3); // B has a member number (3) A does not
        using var client = _app.CreateClient(_app.MintToken(a.Slug, role));
        var bMember = b.First;

        async Task<GraphQLResult> Lookup(object by)
        {
            var result = await client.PostGraphQLAsync("query($by: MemberLookupInput!) { member(by: $by) { id email firstName memberCode memberNumber } }", new { by });
            Assert.True(result.Status == HttpStatusCode.OK, $"member({JsonSerializer.Serialize(by)}): {result}");
            AssertNoLeak(result, b, $"member({JsonSerializer.Serialize(by)})");
            return result;
        }

        // The reference answer: a lookup that matches nothing in any program.
        using var nowhere = await Lookup(new { id = MemberId(Guid.NewGuid()) });
        Assert.Equal(JsonValueKind.Null, nowhere.Data.GetProperty("member").ValueKind);
        foreach (var by in new object[] { new { id = MemberId(bMember.Id) }, new { email = bMember.Email }, new { code = bMember.MemberCode }, new { number = 3L } })
        {
            using var result = await Lookup(by);
            Assert.Equal(JsonValueKind.Null, result.Data.GetProperty("member").ValueKind);
            Assert.Equal(nowhere.ErrorCodes, result.ErrorCodes);
        }

        // A's own member is found the same way: the lookups above are not null for a trivial reason.
        using (var own = await Lookup(new { email = a.First.Email }))
            Assert.Equal(MemberId(a.First.Id), own.Data.GetProperty("member").GetProperty("id").GetString());

        foreach (var id in new[] { MemberId(bMember.Id), EntryId(b.EntryIds[0]), TierId(b.TierIds[1]) })
        {
            using var node = await client.PostGraphQLAsync("query($id: ID!) { node(id: $id) { id __typename } }", new { id });
            Assert.True(node.Status == HttpStatusCode.OK, node.ToString());
            Assert.Equal(JsonValueKind.Null, node.Data.GetProperty("node").ValueKind);
            AssertNoLeak(node, b, "node");
        }
        foreach (var (id, what) in new[] { (PurchaseId(b.Purchases[0].Id), "purchase"), (AwardId(b.Awards[0].Id), "activity award") })
        {
            using var node = await client.PostGraphQLAsync("query($id: ID!) { node(id: $id) { id } }", new { id });
            Assert.Equal(JsonValueKind.Null, node.Data.GetProperty("node").ValueKind);
            AssertNoLeak(node, b, $"node(B's {what})");
        }
        // ...while A's own entry, tier and purchase resolve through node.
        foreach (var id in new[] { EntryId(a.EntryIds[0]), TierId(a.TierIds[1]), PurchaseId(a.Purchases[0].Id), AwardId(a.Awards[0].Id) })
        {
            using var node = await client.PostGraphQLAsync("query($id: ID!) { node(id: $id) { id } }", new { id });
            Assert.Equal(id, node.Data.GetProperty("node").GetProperty("id").GetString());
        }

        if (Allowed(role, "Query.members"))
        {
            const string list = "query($filter: MemberFilterInput) { members(first: 50, filter: $filter) { totalCount nodes { id email firstName } } }";
            using var all = await client.PostGraphQLAsync(list, new { filter = (object?)null });
            AssertNoLeak(all, b, "members");
            Assert.Equal(a.Members.Count, all.Data.GetProperty("members").GetProperty("totalCount").GetInt32());
            Assert.Equal(a.Members.Select(m => m.Email).Order(),
                all.Data.GetProperty("members").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("email").GetString()).Order());

            using var byUnknownTier = await client.PostGraphQLAsync(list, new { filter = new { tierId = TierId(Guid.NewGuid()) } });
            using var byBTier = await client.PostGraphQLAsync(list, new { filter = new { tierId = TierId(b.TierIds[1]) } });
            AssertNoLeak(byBTier, b, "members(filter: B's tier)", TierId(b.TierIds[1]), b.TierIds[1].ToString());
            Assert.Equal(byUnknownTier.Status, byBTier.Status);
            Assert.Equal(byUnknownTier.ErrorCodes, byBTier.ErrorCodes);
            Assert.DoesNotContain("@example.com", byBTier.Text);
        }

        // A's rules and A's purchases only (both programs earn 3 per unit; B's rules are changed below and A's must not follow).
        await _app.WithTenantAsync(b.Slug, db => PurchaseOperations.UpdateSettingsAsync(db, _app.Clock, new EarningSettings(PointsPerCurrencyUnit: 9m)));
        using (var rules = await client.PostGraphQLAsync("{ earningRules { pointsPerCurrencyUnit welcomeBonusPoints } }"))
        {
            Assert.Equal(3m, rules.Data.GetProperty("earningRules").GetProperty("pointsPerCurrencyUnit").GetDecimal());
            AssertNoLeak(rules, b, "earningRules");
        }
        using (var purchases = await client.PostGraphQLAsync("query($id: ID!) { member(by: { id: $id }) { purchases(first: 50) { totalCount nodes { id orderReference } } } }", new { id = MemberId(a.First.Id) }))
        {
            AssertNoLeak(purchases, b, "member.purchases");
            Assert.Equal([a.Purchases[0].OrderReference], purchases.Data.GetProperty("member").GetProperty("purchases").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("orderReference").GetString()));
        }

        // A's referral settings only: B's base URL (which carries B's tag) never shows.
        await _app.WithTenantAsync(b.Slug, db => ReferralOperations.UpdateSettingsAsync(db, _app.Clock, new ReferralSettings(BaseUrl: $"https://{b.Tag}.example/?ref=")));
        if (Allowed(role, "Query.referralSettings"))
        {
            using var referrals = await client.PostGraphQLAsync("{ referralSettings { baseUrl enabled } }");
            Assert.Equal(JsonValueKind.Null, referrals.Data.GetProperty("referralSettings").GetProperty("baseUrl").ValueKind);
            AssertNoLeak(referrals, b, "referralSettings");
        }

        // A's expiry policy only (B's is set here; A has none) and A's member's outlook.
        await _app.WithTenantAsync(b.Slug, db => ExpiryOperations.UpdatePolicyAsync(db, _app.Clock, new ExpirySettings(7, 5)));
        using (var policy = await client.PostGraphQLAsync("{ expiryPolicy { lotValidityMonths inactivityMonths } }"))
        {
            AssertNoLeak(policy, b, "expiryPolicy");
            Assert.Equal(JsonValueKind.Null, policy.Data.GetProperty("expiryPolicy").GetProperty("lotValidityMonths").ValueKind);
        }
        using (var outlook = await client.PostGraphQLAsync("query($id: ID!) { member(by: { id: $id }) { nextExpiring { points at } expiringPoints(withinDays: 3650) } }", new { id = MemberId(a.First.Id) }))
        {
            AssertNoLeak(outlook, b, "member.nextExpiring");
            Assert.Equal(JsonValueKind.Null, outlook.Data.GetProperty("member").GetProperty("nextExpiring").ValueKind);
        }

        // A's activity rules and A's member's awards only.
        using (var rules = await client.PostGraphQLAsync("{ activityRules { key points description } }"))
        {
            AssertNoLeak(rules, b, "activityRules");
            Assert.Equal([a.CustomKey, "review"], rules.Data.GetProperty("activityRules").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
        }
        using (var activities = await client.PostGraphQLAsync("query($id: ID!) { member(by: { id: $id }) { activities(first: 50) { totalCount nodes { id key reference points } } } }", new { id = MemberId(a.First.Id) }))
        {
            AssertNoLeak(activities, b, "member.activities");
            Assert.Equal([a.Awards[0].Reference], activities.Data.GetProperty("member").GetProperty("activities").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("reference").GetString()));
        }

        // The event log: A's events only (positions are global, reads are per program); B's member filter reads nothing; B's consumers stay invisible.
        await _app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        await _app.WithTenantAsync(b.Slug, db => EventConsumers.AcknowledgeAsync(db, _app.Clock, $"sync-{b.Tag}", 0));
        var aEventCount = await _app.WithTenantAsync(a.Slug, db => db.DomainEvents.CountAsync());
        using (var events = await client.PostGraphQLAsync("{ events(first: 500) { nodes { id type member { id email } } pageInfo { hasNextPage } } }"))
        {
            AssertNoLeak(events, b, "events");
            Assert.Equal(aEventCount, events.Data.GetProperty("events").GetProperty("nodes").GetArrayLength());
            Assert.True(aEventCount > 0);
        }
        using (var ofB = await client.PostGraphQLAsync("query($id: ID!) { events(filter: { memberId: $id }) { nodes { id } } }", new { id = MemberId(bMember.Id) }))
        {
            AssertNoLeak(ofB, b, "events(filter: B's member)", MemberId(bMember.Id), bMember.Id.ToString());
            Assert.Equal(0, ofB.Data.GetProperty("events").GetProperty("nodes").GetArrayLength());
        }
        if (Allowed(role, "Subscription.loyaltyEvents"))
        {
            // The live stream from the start: A's events, in A's order, and nothing of B's.
            var aPositions = await _app.WithTenantAsync(a.Slug, db => db.DomainEvents.OrderBy(e => e.Position).Select(e => e.Position!.Value).ToListAsync());
            var streamed = await client.SseResultsAsync("subscription { loyaltyEvents(after: \"0\") { id position type member { id email } } }", null, aEventCount);
            foreach (var e in streamed)
                AssertNoLeak(e, b, "loyaltyEvents");
            Assert.Equal(aPositions, streamed.Select(e => e.Data.GetProperty("loyaltyEvents").GetProperty("position").GetInt64()));
        }
        if (Allowed(role, "Query.eventConsumers"))
        {
            using var consumers = await client.PostGraphQLAsync("{ eventConsumers { name acknowledgedPosition lag } }");
            AssertNoLeak(consumers, b, "eventConsumers");
            Assert.Equal(0, consumers.Data.GetProperty("eventConsumers").GetArrayLength());
        }

        using var tiers = await client.PostGraphQLAsync("{ tiers { id name } program { slug name } }");
        AssertNoLeak(tiers, b, "tiers/program");
        Assert.Equal([$"Base{a.Tag}", $"Silver{a.Tag}", $"Gold{a.Tag}"],
            tiers.Data.GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(a.Slug, tiers.Data.GetProperty("program").GetProperty("slug").GetString());
    }

    [DbTheory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Service)]
    public async Task Mutations_of_program_A_cannot_touch_B_and_find_none_of_its_members(string role)
    {
        var a = await SeedAsync("a", 2);
        var b = await SeedAsync("b", 3);
        var before = await SnapshotAsync(b.Slug);
        using var client = _app.CreateClient(_app.MintToken(a.Slug, role));
        var active = b.First;
        var blocked = b.Members[^1];

        var attempts = new List<(string Field, string Query, object Variables)>
        {
            ("updateMember", "mutation($id: ID!) { updateMember(input: { memberId: $id, firstName: \"Hijacked\", email: \"hijack@example.com\" }) { member { id email } userErrors { code field } } }",
                new { id = MemberId(active.Id) }),
            ("adjustPoints", "mutation($id: ID!, $key: String!) { adjustPoints(input: { memberId: $id, points: 500, reason: \"steal\", idempotencyKey: $key }) { member { id } entry { id } balance { approved } userErrors { code field } } }",
                new { id = MemberId(active.Id), key = Guid.NewGuid().ToString("N") }),
            ("adjustPoints", "mutation($id: ID!, $key: String!) { adjustPoints(input: { memberId: $id, points: -100, reason: \"steal\", idempotencyKey: $key }) { member { id } entry { id } balance { approved } userErrors { code field } } }",
                new { id = MemberId(active.Id), key = Guid.NewGuid().ToString("N") }),
            ("blockMember", "mutation($id: ID!) { blockMember(input: { memberId: $id, reason: \"x\" }) { member { id status } userErrors { code field } } }",
                new { id = MemberId(active.Id) }),
            ("unblockMember", "mutation($id: ID!) { unblockMember(input: { memberId: $id }) { member { id status } userErrors { code field } } }",
                new { id = MemberId(blocked.Id) }),
        };
        foreach (var (field, query, variables) in attempts.Where(x => Allowed(role, $"Mutation.{x.Field}")))
        {
            using var result = await client.PostGraphQLAsync(query, variables);
            Assert.True(result.Status == HttpStatusCode.OK, $"{field}: {result}");
            Assert.False(result.HasErrors, $"{field}: a foreign id is a userError, not a GraphQL error: {result}");
            Assert.Equal(["MEMBER_NOT_FOUND"], result.UserErrorCodes(field));
            Assert.Equal(JsonValueKind.Null, result.Data.GetProperty(field).GetProperty("member").ValueKind);
            AssertNoLeak(result, b, field);
        }

        // Rewards: A cannot spend B's member's points, nor redeem B's reward for its own member.
        foreach (var (member, reward, code) in new[] { (MemberId(active.Id), RewardId(a.Reward.Id), "MEMBER_NOT_FOUND"), (MemberId(a.First.Id), RewardId(b.Reward.Id), "REWARD_NOT_FOUND") })
        {
            using var redeem = await client.PostGraphQLAsync(
                "mutation($member: ID!, $reward: ID!, $key: String!) { redeemCoupon(input: { member: { id: $member }, rewardId: $reward, idempotencyKey: $key }) { coupon { id code } balance { approved } userErrors { code field } } }",
                new { member, reward, key = Guid.NewGuid().ToString("N") });
            Assert.Equal([code], redeem.UserErrorCodes("redeemCoupon"));
            AssertNoLeak(redeem, b, "redeemCoupon", member, reward);
        }
        if (Allowed(role, "Mutation.updateReward"))
        {
            using var update = await client.PostGraphQLAsync("mutation($id: ID!) { updateReward(id: $id, input: { name: \"Hijacked\", kind: FREE_SHIPPING, pointsCost: 1 }) { reward { id } userErrors { code } } }",
                new { id = RewardId(b.Reward.Id) });
            Assert.Equal(["REWARD_NOT_FOUND"], update.UserErrorCodes("updateReward"));
        }

        // Purchases: B's member cannot earn through A, B's orders cannot be refunded through A, A's rules are A's.
        using (var record = await client.PostGraphQLAsync(
            "mutation($id: ID!) { recordPurchase(input: { memberId: $id, channel: ONLINE, storeId: \"shop\", orderReference: \"steal-1\", amount: 1000, currency: \"USD\" }) { purchase { id } balance { approved } userErrors { code field } } }",
            new { id = MemberId(active.Id) }))
        {
            Assert.Equal(["MEMBER_NOT_FOUND"], record.UserErrorCodes("recordPurchase"));
            AssertNoLeak(record, b, "recordPurchase");
        }
        using (var reverse = await client.PostGraphQLAsync(
            "mutation($ref: String!) { reversePurchase(input: { channel: ONLINE, storeId: \"shop\", orderReference: $ref }) { purchase { id } pointsTakenBack userErrors { code field } } }",
            new { @ref = b.Purchases[0].OrderReference }))
        {
            Assert.Equal(["PURCHASE_NOT_FOUND"], reverse.UserErrorCodes("reversePurchase"));
            AssertNoLeak(reverse, b, "reversePurchase", b.Purchases[0].OrderReference);
        }
        // Activities: B's member cannot earn through A (not even by replaying B's own reference), B's keys do not exist in A.
        foreach (var (key, reference) in new[] { ("review", "steal-review"), ("review", b.Awards[0].Reference) })
        {
            using var record = await client.PostGraphQLAsync(
                "mutation($id: ID!, $key: String!, $ref: String!) { recordActivity(input: { memberId: $id, key: $key, reference: $ref }) { award { id } balance { approved } replayed userErrors { code field } } }",
                new { id = MemberId(active.Id), key, @ref = reference });
            Assert.Equal(["MEMBER_NOT_FOUND"], record.UserErrorCodes("recordActivity"));
            Assert.Equal(JsonValueKind.Null, record.Data.GetProperty("recordActivity").GetProperty("award").ValueKind);
            AssertNoLeak(record, b, "recordActivity(B's member)", reference);
        }
        using (var foreignKey = await client.PostGraphQLAsync(
            "mutation($id: ID!, $key: String!) { recordActivity(input: { memberId: $id, key: $key, reference: \"x\" }) { award { id } userErrors { code field } } }",
            new { id = MemberId(a.First.Id), key = b.CustomKey }))
        {
            Assert.Equal(["ACTIVITY_NOT_FOUND"], foreignKey.UserErrorCodes("recordActivity"));
            AssertNoLeak(foreignKey, b, "recordActivity(B's key)", b.CustomKey);
        }
        if (Allowed(role, "Mutation.upsertActivityRule"))
        {
            // The same key in A is A's own rule: B's rule with that key keeps its points.
            using var upsert = await client.PostGraphQLAsync(
                "mutation($key: String!) { upsertActivityRule(input: { type: CUSTOM, key: $key, points: 999, enabled: false }) { activityRule { key points } userErrors { code } } }",
                new { key = b.CustomKey });
            Assert.Empty(upsert.UserErrorCodes("upsertActivityRule"));
            using var review = await client.PostGraphQLAsync("mutation { upsertActivityRule(input: { type: REVIEW, points: 1000 }) { activityRule { points } userErrors { code } } }");
            Assert.Empty(review.UserErrorCodes("upsertActivityRule"));
        }

        if (Allowed(role, "Mutation.updateExpiryPolicy"))
        {
            using var policy = await client.PostGraphQLAsync("mutation { updateExpiryPolicy(input: { lotValidityMonths: 24 }) { expiryPolicy { lotValidityMonths } userErrors { code } } }");
            Assert.Empty(policy.UserErrorCodes("updateExpiryPolicy"));
        }

        if (Allowed(role, "Mutation.updateEarningRules"))
        {
            using var rules = await client.PostGraphQLAsync("mutation { updateEarningRules(input: { pointsPerCurrencyUnit: 50, pendingDays: 3 }) { earningRules { pointsPerCurrencyUnit } userErrors { code } } }");
            Assert.Empty(rules.UserErrorCodes("updateEarningRules"));
        }

        // Referrals: B's member's code does not exist in A (nothing is enrolled), B's reward cannot be a referral reward of A.
        var bCode = await _app.WithTenantAsync(b.Slug, db => db.MemberReferrals.Where(r => r.MemberId == active.Id).Select(r => r.Code).SingleAsync());
        using (var referred = await client.PostGraphQLAsync(
            "mutation($code: String!) { enrollMember(input: { email: \"referred@example.com\", referralCode: $code }) { member { id referredBy { id } } userErrors { code field } } }",
            new { code = bCode }))
        {
            Assert.Equal(["REFERRAL_CODE_NOT_FOUND"], referred.UserErrorCodes("enrollMember"));
            AssertNoLeak(referred, b, "enrollMember(B's referral code)", bCode);
        }
        if (Allowed(role, "Mutation.updateReferralSettings"))
        {
            using var settings = await client.PostGraphQLAsync(
                "mutation($id: ID!) { updateReferralSettings(input: { referrerRewardKind: COUPON, referrerRewardId: $id }) { referralSettings { referrerRewardId } userErrors { code field } } }",
                new { id = RewardId(b.Reward.Id) });
            Assert.Equal(["REWARD_NOT_FOUND"], settings.UserErrorCodes("updateReferralSettings"));
            AssertNoLeak(settings, b, "updateReferralSettings(B's reward)", RewardId(b.Reward.Id));
        }

        // Emails are unique per program: B's member's email is free in A.
        using var enroll = await client.PostGraphQLAsync(
            "mutation($email: String!) { enrollMember(input: { email: $email, firstName: \"Twin\" }) { member { id email memberNumber memberCode } userErrors { code } } }",
            new { email = active.Email });
        Assert.True(enroll.Status == HttpStatusCode.OK, enroll.ToString());
        Assert.Empty(enroll.UserErrorCodes("enrollMember"));
        var twin = enroll.Data.GetProperty("enrollMember").GetProperty("member");
        Assert.Equal(active.Email, twin.GetProperty("email").GetString());
        Assert.NotEqual(MemberId(active.Id), twin.GetProperty("id").GetString());
        Assert.Equal(a.Members.Count + 1, twin.GetProperty("memberNumber").GetInt64());
        Assert.DoesNotContain(b.Members, m => m.MemberCode == twin.GetProperty("memberCode").GetString());
        var aHasTwin = await _app.WithTenantAsync(a.Slug, db => db.Members.CountAsync(m => m.NormalizedEmail == active.Email));
        Assert.Equal(1, aHasTwin);

        // Tiers: B's tiers are not found through A; A's policy, tiers and tier run are A's own.
        if (Allowed(role, "Mutation.updateTier"))
        {
            using var update = await client.PostGraphQLAsync("mutation($id: ID!) { updateTier(input: { tierId: $id, name: \"Hijacked\", threshold: 1 }) { tier { id } userErrors { code } } }",
                new { id = TierId(b.TierIds[1]) });
            Assert.Equal(["TIER_NOT_FOUND"], update.UserErrorCodes("updateTier"));
            using var delete = await client.PostGraphQLAsync("mutation($id: ID!) { deleteTier(input: { tierId: $id }) { deletedTierId userErrors { code } } }",
                new { id = TierId(b.TierIds[2]) });
            Assert.Equal(["TIER_NOT_FOUND"], delete.UserErrorCodes("deleteTier"));
            using var policy = await client.PostGraphQLAsync("mutation { updateTierPolicy(input: { metric: SPEND, periodEnd: RESET }) { tierPolicy { metric } userErrors { code } } }");
            Assert.Empty(policy.UserErrorCodes("updateTierPolicy"));
            using var create = await client.PostGraphQLAsync("mutation($name: String!) { createTier(input: { name: $name, threshold: 5000 }) { tier { id } userErrors { code } } }",
                new { name = $"Platinum{b.Tag}" });
            Assert.Empty(create.UserErrorCodes("createTier"));
            _app.Clock.Advance(TimeSpan.FromDays(400)); // every period of A and B has ended: only A's run may act
            using var later = _app.CreateClient(_app.MintToken(a.Slug, role));
            using var run = await later.PostGraphQLAsync("mutation { runJob(name: \"tiers\") { run { outcome } userErrors { code } } }");
            Assert.Equal("SUCCEEDED", run.Data.GetProperty("runJob").GetProperty("run").GetProperty("outcome").GetString());
        }

        // Consumer cursors are per program: A acknowledging B's consumer's name makes A's own; B's stays where it was.
        const string bConsumer = "esp-sync";
        await _app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        await _app.WithTenantAsync(b.Slug, db => EventConsumers.AcknowledgeAsync(db, _app.Clock, bConsumer, 1));
        using var ackClient = _app.CreateClient(_app.MintToken(a.Slug, role)); // the tier block may have moved the clock past the first token's life
        using (var ack = await ackClient.PostGraphQLAsync(
            "mutation($name: String!) { acknowledgeEvents(input: { consumer: $name, position: 2 }) { consumer { name acknowledgedPosition } userErrors { code } } }",
            new { name = bConsumer }))
        {
            Assert.Empty(ack.UserErrorCodes("acknowledgeEvents"));
            Assert.Equal(2, ack.Data.GetProperty("acknowledgeEvents").GetProperty("consumer").GetProperty("acknowledgedPosition").GetInt64());
            AssertNoLeak(ack, b, "acknowledgeEvents(B's consumer name)");
        }
        Assert.Equal(1, await _app.WithTenantAsync(b.Slug, db => db.EventConsumers.Where(c => c.Name == bConsumer).Select(c => c.Position).SingleAsync()));

        var after = await SnapshotAsync(b.Slug);
        Assert.Equal(before, after);
        Assert.Equal(b.Members.Count * 5 + 1, after.Entries.Split('\n').Length); // adjustment, earn, purchase, welcome bonus, activity; one redemption
        Assert.Contains("|Issued", after.Coupons);
        Assert.Equal(b.Members.Count, after.ActivityAwards.Split('\n').Length);
        Assert.Contains($"{b.CustomKey}, Type = Custom, Points = 6", after.ActivityRules);
        Assert.Contains("Blocked", after.Members);
    }

    [DbFact]
    public async Task Webhook_subscriptions_and_deliveries_of_B_behave_like_nonexistent_ones_for_A()
    {
        async Task<(string Slug, WebhookSubscription Sub, WebhookDelivery Delivery, Guid EventId)> SeedAsync(string prefix)
        {
            var slug = NewSlug(prefix);
            await _app.CreateProgramAsync(slug);
            var member = await _app.EnrollAsync(slug, $"{slug}@example.com");
            await _app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
            var secrets = _app.Services.GetRequiredService<WebhookSecrets>();
            // Subscribed to webhook.disabled only: nothing is sent from this shared fixture; the log row is written directly.
            return await _app.WithTenantAsync(slug, async db =>
            {
                var created = await WebhookOperations.CreateAsync(db, _app.Clock, secrets, false,
                    new CreateWebhookInput($"https://{slug}.example.com/hook", [EventTypes.WebhookDisabled], $"Hook {slug}"));
                var e = await db.DomainEvents.AsNoTracking().FirstAsync(x => x.MemberId == member.Id);
                var delivery = WebhookDispatcher.Record(Guid.NewGuid(), created.Subscription, e, 1, new WebhookAttemptResult(true, 200, 5, null, null), false, _app.Clock.GetUtcNow());
                db.WebhookDeliveries.Add(delivery);
                await db.SaveChangesAsync();
                return (slug, created.Subscription, delivery, e.Id);
            });
        }
        var a = await SeedAsync("wa");
        var b = await SeedAsync("wb");
        string Snapshot(WebhookSubscription s) => $"{s.Url}|{s.Types}|{s.Description}|{s.Status}|{s.ProtectedSecret}|{s.Version}";
        var before = Snapshot(await _app.WithTenantAsync(b.Slug, db => db.WebhookSubscriptions.AsNoTracking().SingleAsync()));
        using var client = _app.CreateClient(_app.MintToken(a.Slug, Roles.Admin));
        var bId = WebhookId(b.Sub.Id);
        var bDelivery = global::HeadlessLoyalty.GraphQL.Relay.GlobalId.Encode(WebhookDeliveryType.TypeName, b.Delivery.Id.ToString());
        string[] secrets = [b.Slug, bId, b.Sub.Id.ToString(), bDelivery, b.Delivery.Id.ToString(), b.EventId.ToString()];
        void NoLeak(GraphQLResult r, string what, params string[] sent)
        {
            foreach (var secret in secrets.Except(sent))
                Assert.False(r.Text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{what}: B's '{secret}' leaked: {r}");
        }

        using (var list = await client.PostGraphQLAsync("{ webhookSubscriptions { id url description } }"))
        {
            Assert.Equal([WebhookId(a.Sub.Id)], list.Data.GetProperty("webhookSubscriptions").EnumerateArray().Select(x => x.GetProperty("id").GetString()));
            NoLeak(list, "webhookSubscriptions");
        }
        using (var log = await client.PostGraphQLAsync("query($id: ID!) { webhookDeliveries(subscriptionId: $id) { totalCount nodes { id } } }", new { id = bId }))
        {
            Assert.Equal(JsonValueKind.Null, log.Data.GetProperty("webhookDeliveries").ValueKind);
            Assert.False(log.HasErrors, log.ToString());
            NoLeak(log, "webhookDeliveries", bId);
        }
        foreach (var (field, query, variables, code) in new (string, string, object, string)[]
                 {
                     ("updateWebhookSubscription", "mutation($id: ID!) { updateWebhookSubscription(input: { id: $id, url: \"https://evil.example.com/\" }) { subscription { id url } userErrors { code } } }", new { id = bId }, "WEBHOOK_SUBSCRIPTION_NOT_FOUND"),
                     ("enableWebhookSubscription", "mutation($id: ID!) { enableWebhookSubscription(input: { id: $id }) { subscription { id } userErrors { code } } }", new { id = bId }, "WEBHOOK_SUBSCRIPTION_NOT_FOUND"),
                     ("rotateWebhookSecret", "mutation($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret subscription { id } userErrors { code } } }", new { id = bId }, "WEBHOOK_SUBSCRIPTION_NOT_FOUND"),
                     ("deleteWebhookSubscription", "mutation($id: ID!) { deleteWebhookSubscription(input: { id: $id }) { deletedSubscriptionId userErrors { code } } }", new { id = bId }, "WEBHOOK_SUBSCRIPTION_NOT_FOUND"),
                     ("redeliverWebhook", "mutation($id: ID!) { redeliverWebhook(input: { deliveryId: $id }) { delivery { id } userErrors { code } } }", new { id = bDelivery }, "WEBHOOK_DELIVERY_NOT_FOUND"),
                     ("redeliverWebhook", "mutation($id: ID!, $e: ID!) { redeliverWebhook(input: { subscriptionId: $id, eventId: $e }) { delivery { id } userErrors { code } } }", new { id = bId, e = b.EventId.ToString() }, "WEBHOOK_SUBSCRIPTION_NOT_FOUND"),
                     // A's own subscription with B's event: the event does not exist for A.
                     ("redeliverWebhook", "mutation($id: ID!, $e: ID!) { redeliverWebhook(input: { subscriptionId: $id, eventId: $e }) { delivery { id } userErrors { code } } }", new { id = WebhookId(a.Sub.Id), e = b.EventId.ToString() }, "WEBHOOK_EVENT_NOT_FOUND"),
                 })
        {
            using var result = await client.PostGraphQLAsync(query, variables);
            Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, $"{field}: {result}");
            Assert.Equal([code], result.UserErrorCodes(field));
            NoLeak(result, field, bId, bDelivery, b.EventId.ToString());
        }

        Assert.Equal(before, Snapshot(await _app.WithTenantAsync(b.Slug, db => db.WebhookSubscriptions.AsNoTracking().SingleAsync())));
        Assert.Equal(1, await _app.WithTenantAsync(b.Slug, db => db.WebhookDeliveries.CountAsync()));
    }

    [DbFact]
    public async Task Store_deliveries_stats_and_catalog_of_B_do_not_exist_for_A()
    {
        async Task<(string Slug, Guid Connection, Guid Delivery)> SeedAsync(string prefix)
        {
            var slug = NewSlug(prefix);
            await _app.CreateProgramAsync(slug);
            var connection = Guid.NewGuid();
            var delivery = Guid.NewGuid();
            await _app.WithTenantAsync(slug, async db =>
            {
                var now = _app.Clock.GetUtcNow();
                db.StoreConnections.Add(new StoreConnection
                {
                    Id = connection, Platform = StorePlatform.Shopify, Url = $"https://{slug}.myshopify.com", Status = StoreConnectionStatus.Active, ConnectedAt = now,
                });
                db.StoreDeliveries.Add(new StoreDelivery
                {
                    Id = delivery, ConnectionId = connection, Platform = StorePlatform.Shopify, Topic = "orders/paid", Body = "{}", Source = StoreDeliverySources.Webhook,
                    Status = StoreDeliveryStatus.Failed, Reason = $"CURRENCY_MISMATCH: {slug}", ResourceId = $"order-{slug}", ReceivedAt = now,
                });
                db.StoreCatalogItems.Add(new StoreCatalogItem
                {
                    Id = Guid.NewGuid(), ConnectionId = connection, Kind = StoreCatalogKind.Location, ExternalId = $"loc-{slug}", Title = $"Shop {slug}", UpdatedAt = now,
                });
                await db.SaveChangesAsync();
            });
            return (slug, connection, delivery);
        }
        var a = await SeedAsync("sa");
        var b = await SeedAsync("sb");
        using var client = _app.CreateClient(_app.MintToken(a.Slug, Roles.Admin));
        var bId = StoreId(b.Connection);
        string[] secrets = [b.Slug, b.Connection.ToString(), b.Delivery.ToString()];
        foreach (var (field, query) in new[]
                 {
                     ("storeDeliveries", "query($id: ID!) { storeDeliveries(connectionId: $id) { totalCount nodes { id reason resourceId } } }"),
                     ("storeDeliveryStats", "query($id: ID!) { storeDeliveryStats(connectionId: $id) { failed lastFailure { id reason } } }"),
                     ("storeCatalog", "query($id: ID!) { storeCatalog(connectionId: $id) { totalCount nodes { title externalId } } }"),
                 })
        {
            using var theirs = await client.PostGraphQLAsync(query, new { id = bId });
            Assert.False(theirs.HasErrors, theirs.ToString());
            Assert.Equal(JsonValueKind.Null, theirs.Data.GetProperty(field).ValueKind);
            foreach (var secret in secrets)
                Assert.False(theirs.Text.Replace(bId, "").Contains(secret, StringComparison.OrdinalIgnoreCase), $"{field}: B's '{secret}' leaked: {theirs}");
            using var ours = await client.PostGraphQLAsync(query, new { id = StoreId(a.Connection) });
            Assert.False(ours.HasErrors, ours.ToString());
            Assert.Contains(a.Slug, ours.Text);
            Assert.DoesNotContain(b.Slug, ours.Text);
        }
    }

    [DbFact]
    public async Task Store_connections_and_the_store_audit_log_of_B_behave_like_nonexistent_ones_for_A()
    {
        async Task<(string Slug, StoreConnection Connection)> SeedAsync(string prefix)
        {
            var slug = NewSlug(prefix);
            await _app.CreateProgramAsync(slug);
            var secrets = _app.Services.GetRequiredService<StoreSecrets>();
            return await _app.WithTenantAsync(slug, async db =>
            {
                var c = new StoreConnection
                {
                    Id = Guid.NewGuid(), Platform = StorePlatform.WooCommerce, Url = $"https://{slug}.example.com", Status = StoreConnectionStatus.Active,
                    ProtectedCredentials = secrets.ProtectCredentials(new StoreCredentials($"ck_{slug}", $"cs_{slug}", null, null)),
                    ProtectedWebhookSecret = secrets.ProtectWebhookSecret($"secret{slug.Replace("-", "")}"), WebhookIds = "77", ConnectedAt = _app.Clock.GetUtcNow(),
                };
                db.StoreConnections.Add(c);
                db.StoreAuditEntries.Add(new StoreAuditEntry { Id = Guid.NewGuid(), ConnectionId = c.Id, Action = StoreAuditActions.Connected, Actor = "admin:seed", Detail = $"Connected {slug}", OccurredAt = _app.Clock.GetUtcNow() });
                await db.SaveChangesAsync();
                return (slug, c);
            });
        }
        var a = await SeedAsync("sa");
        var b = await SeedAsync("sb");
        string Snapshot(StoreConnection c) => $"{c.Url}|{c.Status}|{c.AwardOn}|{c.ProtectedCredentials}|{c.ProtectedWebhookSecret}|{c.WebhookIds}|{c.Version}";
        var before = Snapshot(await _app.WithTenantAsync(b.Slug, db => db.StoreConnections.AsNoTracking().SingleAsync()));
        using var client = _app.CreateClient(_app.MintToken(a.Slug, Roles.Admin));
        var bId = StoreId(b.Connection.Id);
        string[] secrets = [b.Slug, b.Connection.Id.ToString(), b.Connection.Url];
        void NoLeak(GraphQLResult r, string what)
        {
            foreach (var secret in secrets)
                Assert.False(r.Text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{what}: B's '{secret}' leaked: {r}");
        }

        using (var list = await client.PostGraphQLAsync("{ storeConnections { id url } }"))
        {
            Assert.Equal([StoreId(a.Connection.Id)], list.Data.GetProperty("storeConnections").EnumerateArray().Select(x => x.GetProperty("id").GetString()));
            NoLeak(list, "storeConnections");
        }
        using (var one = await client.PostGraphQLAsync("query($id: ID!) { storeConnection(id: $id) { id url } }", new { id = bId }))
        {
            Assert.False(one.HasErrors, one.ToString());
            Assert.Equal(JsonValueKind.Null, one.Data.GetProperty("storeConnection").ValueKind);
        }
        using (var log = await client.PostGraphQLAsync("query($id: ID) { storeAuditLog(connectionId: $id) { totalCount nodes { detail } } }", new { id = bId }))
        {
            Assert.Equal(0, log.Data.GetProperty("storeAuditLog").GetProperty("totalCount").GetInt32());
            NoLeak(log, "storeAuditLog(B)");
        }
        using (var all = await client.PostGraphQLAsync("{ storeAuditLog { totalCount nodes { detail } } }"))
        {
            Assert.Equal(1, all.Data.GetProperty("storeAuditLog").GetProperty("totalCount").GetInt32());
            NoLeak(all, "storeAuditLog");
        }
        foreach (var (field, query) in new (string, string)[]
                 {
                     ("pauseStore", "mutation($id: ID!) { pauseStore(input: { id: $id }) { connection { id url } userErrors { code } } }"),
                     ("resumeStore", "mutation($id: ID!) { resumeStore(input: { id: $id }) { connection { id url } userErrors { code } } }"),
                     ("disconnectStore", "mutation($id: ID!) { disconnectStore(input: { id: $id }) { connection { id url } userErrors { code } } }"),
                     ("updateStoreSettings", "mutation($id: ID!) { updateStoreSettings(input: { id: $id, settings: { awardOn: COMPLETED_ONLY } }) { connection { id url } userErrors { code } } }"),
                 })
        {
            using var result = await client.PostGraphQLAsync(query, new { id = bId });
            Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, $"{field}: {result}");
            Assert.Equal(["STORE_CONNECTION_NOT_FOUND"], result.UserErrorCodes(field));
            NoLeak(result, field);
        }

        Assert.Equal(before, Snapshot(await _app.WithTenantAsync(b.Slug, db => db.StoreConnections.AsNoTracking().SingleAsync())));
        Assert.Equal(1, await _app.WithTenantAsync(b.Slug, db => db.StoreAuditEntries.CountAsync()));
    }

    [DbFact]
    public async Task Checkout_and_pos_with_B_connection_or_B_customer_behave_like_nonexistent_ones_for_A()
    {
        async Task<(string Slug, Guid Connection, MemberView Member)> SeedAsync(string prefix)
        {
            var slug = NewSlug(prefix);
            await _app.CreateProgramAsync(slug);
            var member = await _app.EnrollAsync(slug, $"{slug}@example.com");
            await _app.AdjustAsync(slug, member.Id, 2_000);
            var secrets = _app.Services.GetRequiredService<StoreSecrets>();
            var id = Guid.NewGuid();
            await _app.WithTenantAsync(slug, async db =>
            {
                db.StoreConnections.Add(new StoreConnection
                {
                    Id = id, Platform = StorePlatform.Shopify, Url = $"https://{slug}.myshopify.com", Status = StoreConnectionStatus.Active,
                    ProtectedCredentials = secrets.ProtectCredentials(new StoreCredentials(null, null, "shpat_x", "proxysecret")),
                    ProtectedWebhookSecret = secrets.ProtectWebhookSecret("proxysecret"), ConnectedAt = _app.Clock.GetUtcNow(),
                });
                db.MemberExternalIds.Add(new MemberExternalId { Id = Guid.NewGuid(), MemberId = member.Id, Store = StoreConnection.KeyOf(id), ExternalId = prefix == "ca" ? "1" : "2" });
                await db.SaveChangesAsync();
            });
            return (slug, id, member);
        }
        var a = await SeedAsync("ca");
        var b = await SeedAsync("cb");
        using var pos = _app.CreateClient(_app.MintToken(a.Slug, Roles.Pos));

        using (var quote = await pos.PostGraphQLAsync("query($m: ID!, $c: ID!) { checkout(member: { id: $m }, connectionId: $c) { balance } }", new { m = MemberId(a.Member.Id), c = StoreId(b.Connection) }))
            Assert.Equal(["STORE_CONNECTION_NOT_FOUND"], quote.ErrorCodes);
        using (var quote = await pos.PostGraphQLAsync("query($m: ID!) { checkout(member: { id: $m }) { balance } }", new { m = MemberId(b.Member.Id) }))
            Assert.Equal(["MEMBER_NOT_FOUND"], quote.ErrorCodes);
        using (var apply = await pos.PostGraphQLAsync("mutation($m: ID!, $c: ID!) { applyPointsAtCheckout(input: { member: { id: $m }, connectionId: $c, points: 1000, idempotencyKey: \"x\" }) { discount { id } userErrors { code } } }",
                   new { m = MemberId(a.Member.Id), c = StoreId(b.Connection) }))
            Assert.Equal(["STORE_CONNECTION_NOT_FOUND"], apply.UserErrorCodes("applyPointsAtCheckout"));
        using (var apply = await pos.PostGraphQLAsync("mutation($e: String!) { applyPointsAtCheckout(input: { member: { email: $e }, points: 1000, idempotencyKey: \"y\" }) { discount { id } userErrors { code } } }",
                   new { e = $"{b.Slug}@example.com" }))
            Assert.Equal(["MEMBER_NOT_FOUND"], apply.UserErrorCodes("applyPointsAtCheckout"));

        // The app proxy: A's customer "1" is unknown on B's connection, signed with B's secret.
        var ts = _app.Clock.GetUtcNow().ToUnixTimeSeconds();
        var shop = $"{b.Slug}.myshopify.com";
        var message = $"logged_in_customer_id=1path_prefix=/apps/lshop={shop}timestamp={ts}";
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("proxysecret"u8, System.Text.Encoding.UTF8.GetBytes(message)));
        using var anonymous = _app.CreateClient();
        using var proxied = await anonymous.GetAsync($"/proxy/shopify/{b.Connection}/token?shop={shop}&logged_in_customer_id=1&path_prefix=%2Fapps%2Fl&timestamp={ts}&signature={signature}");
        Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);
        Assert.Contains("STORE_CUSTOMER_UNKNOWN", await proxied.Content.ReadAsStringAsync());

        // POS: B's customer is not found by any key, and cannot be redeemed for.
        var bMember = b.Member;
        foreach (var key in new[] { bMember.Email, bMember.MemberCode, bMember.MemberNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            using var found = await pos.PostGraphQLAsync("query($s: String!) { posCustomers(search: $s) { id email } }", new { s = key });
            Assert.DoesNotContain(bMember.Email, found.Data.GetProperty("posCustomers").EnumerateArray().Select(m => m.GetProperty("email").GetString()));
        }
        using (var redeem = await pos.PostGraphQLAsync("mutation($m: ID!) { redeemAtPos(input: { member: { id: $m }, points: 100, transactionReference: \"t\", idempotencyKey: \"z\" }) { points userErrors { code } } }", new { m = MemberId(bMember.Id) }))
            Assert.Equal(["MEMBER_NOT_FOUND"], redeem.UserErrorCodes("redeemAtPos"));

        foreach (var (slug, member) in new[] { (a.Slug, a.Member.Id), (b.Slug, b.Member.Id) })
            Assert.Equal(2_000, await _app.WithTenantAsync(slug, async db => (await db.Balances.AsNoTracking().SingleAsync(x => x.MemberId == member)).Approved));
        Assert.Equal(0, await _app.WithTenantAsync(b.Slug, db => db.CheckoutDiscounts.CountAsync()));
    }

    [DbFact]
    public async Task Jobs_run_by_program_A_never_approve_B_purchases_and_A_sees_only_its_own_runs()
    {
        async Task<(string Slug, Guid Member)> PendingAsync(string prefix)
        {
            var slug = NewSlug(prefix);
            await _app.CreateProgramAsync(slug);
            await _app.WithTenantAsync(slug, db => PurchaseOperations.UpdateSettingsAsync(db, _app.Clock, new EarningSettings(PendingDays: 2)));
            var member = await _app.EnrollAsync(slug, $"{slug}@example.com");
            await _app.WithTenantAsync(slug, db => PurchaseOperations.RecordAsync(db, _app.Clock, "test:seed", new RecordPurchaseInput(
                member.Id, PurchaseChannel.Online, "shop", null, $"job-{slug}", 10m, null, "USD", null, PurchaseStatus.Completed)));
            return (slug, member.Id);
        }
        var a = await PendingAsync("ja");
        var b = await PendingAsync("jb");
        _app.Clock.Advance(TimeSpan.FromDays(3));
        using var clientA = _app.CreateClient(_app.MintToken(a.Slug, Roles.Admin));
        using var clientB = _app.CreateClient(_app.MintToken(b.Slug, Roles.Admin));
        const string RunJob = "mutation { runJob(name: \"pending-approval\") { run { processed startedAt } userErrors { code } } }";

        using var runA = await clientA.PostGraphQLAsync(RunJob);

        Assert.Equal(1, runA.Data.GetProperty("runJob").GetProperty("run").GetProperty("processed").GetInt32());
        Assert.Equal(10L, await _app.WithTenantAsync(b.Slug, db => db.Balances.Where(x => x.MemberId == b.Member).Select(x => x.Pending).SingleAsync()));
        Assert.Equal(0, await _app.WithTenantAsync(b.Slug, db => db.Purchases.CountAsync(p => p.PointsApprovedAt != null)));
        Assert.Equal(0, await _app.WithTenantAsync(b.Slug, db => db.JobRuns.CountAsync()));

        // B runs later, with another result: A's last run stays A's.
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        using var runB = await clientB.PostGraphQLAsync(RunJob);
        using var jobsA = await clientA.PostGraphQLAsync("{ jobs { name lastRun { processed startedAt } } }");

        Assert.Equal(1, runB.Data.GetProperty("runJob").GetProperty("run").GetProperty("processed").GetInt32());
        var lastRun = Assert.Single(jobsA.Data.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("name").GetString() == "pending-approval").GetProperty("lastRun");
        Assert.Equal(runA.Data.GetProperty("runJob").GetProperty("run").GetProperty("startedAt").GetString(), lastRun.GetProperty("startedAt").GetString());
        Assert.NotEqual(runB.Data.GetProperty("runJob").GetProperty("run").GetProperty("startedAt").GetString(), lastRun.GetProperty("startedAt").GetString());
        Assert.Equal(1, await _app.WithTenantAsync(a.Slug, db => db.JobRuns.CountAsync()));
    }
}

public sealed class CrossTenantTestsOnSqlite(SqliteFixture fixture) : CrossTenantTests(fixture), IClassFixture<SqliteFixture>;

public sealed class CrossTenantTestsOnPostgres(PostgresFixture fixture) : CrossTenantTests(fixture), IClassFixture<PostgresFixture>;
