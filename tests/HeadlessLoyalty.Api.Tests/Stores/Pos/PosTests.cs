using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Stores.Pos;

/// <summary>The POS tile on SQLite and PostgreSQL: the customer found by each key, the overview a pos token reads, redeemAtPos and its event.</summary>
public sealed class PosTests
{
    private const string Search = "query($s: String!) { posCustomers(search: $s) { email memberCode memberNumber } }";

    private static async Task<(StoreTestApp T, MemberView Ann, HttpClient Pos)> StartAsync(string provider)
    {
        var t = await StoreTestApp.StartAsync(provider);
        var ann = await t.App.EnrollAsync(t.Slug, "Ann.Till@Example.com", "Ann", "Till");
        await t.App.WithTenantAsync(t.Slug, db => MemberOperations.UpdateAsync(db, t.App.Clock, "test:seed", new UpdateMemberInput(ann.Id, Phone: "+1 (555) 010-4477")));
        var other = await t.App.EnrollAsync(t.Slug, "bob@example.com", "Bob", "Other");
        await t.App.WithTenantAsync(t.Slug, db => MemberOperations.UpdateAsync(db, t.App.Clock, "test:seed", new UpdateMemberInput(other.Id, Phone: "+44 20 7946 0958")));
        await t.App.AdjustAsync(t.Slug, ann.Id, 2_000);
        return (t, ann, t.App.CreateClient(t.App.MintToken(t.Slug, Roles.Pos)));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_customer_is_found_by_email_member_code_number_or_phone_and_nothing_else(string provider)
    {
        var (t, ann, pos) = await StartAsync(provider);
        await using var _ = t;
        using var __ = pos;

        async Task<string[]> Find(string s) =>
            [.. (await pos.FieldAsync(Search, "posCustomers", new { s })).EnumerateArray().Select(m => m.GetProperty("email").GetString()!)];

        Assert.Equal(["Ann.Till@Example.com"], await Find("  ann.till@EXAMPLE.com "));
        Assert.Equal(["Ann.Till@Example.com"], await Find(ann.MemberCode.ToLowerInvariant()));
        Assert.Equal(["Ann.Till@Example.com"], await Find(ann.MemberNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["Ann.Till@Example.com"], await Find("555-010-4477"));
        Assert.Equal(["Ann.Till@Example.com"], await Find("+15550104477"));
        Assert.Equal(["bob@example.com"], await Find("20 7946 0958"));
        Assert.Empty(await Find("nobody@example.com"));
        Assert.Empty(await Find("010-9999"));
        Assert.Empty(await Find(""));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_pos_token_reads_the_overview_history_and_benefits_and_redeems_at_pos_with_the_event(string provider)
    {
        var (t, ann, pos) = await StartAsync(provider);
        await using var _ = t;
        using var __ = pos;
        var (_, rewardId) = await t.MemberWithRewardAsync("reward.owner@example.com");

        var overview = await pos.FieldAsync($$"""
            query($s: String!) { posCustomers(search: $s) { firstName lastName balance { approved } tier { __typename } history(first: 5) { totalCount } purchases(first: 5) { totalCount } coupons(first: 5) { totalCount } eligibleRewards { id } } }
            """, "posCustomers", new { s = ann.Email });
        var row = Assert.Single(overview.EnumerateArray());
        Assert.Equal(("Ann", 2_000), (row.GetProperty("firstName").GetString(), row.GetProperty("balance").GetProperty("approved").GetInt64()));
        Assert.Contains(rewardId, row.GetProperty("eligibleRewards").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        const string Redeem = """
            mutation($input: RedeemAtPosInput!) { redeemAtPos(input: $input) { points value currency transactionReference entryId balance { approved } userErrors { code field } } }
            """;
        var byReward = await pos.FieldAsync(Redeem, "redeemAtPos", new { input = new { member = new { code = ann.MemberCode }, rewardId, locationId = "loc-1", transactionReference = "sale-1", idempotencyKey = "pos-1" } });
        var replay = await pos.FieldAsync(Redeem, "redeemAtPos", new { input = new { member = new { code = ann.MemberCode }, rewardId, locationId = "loc-1", transactionReference = "sale-1", idempotencyKey = "pos-1" } });
        Assert.Empty(UserErrorsOf(byReward));
        Assert.Equal((500, 5m, "EUR", 1_500), (byReward.GetProperty("points").GetInt64(), byReward.GetProperty("value").GetDecimal(),
            byReward.GetProperty("currency").GetString(), byReward.GetProperty("balance").GetProperty("approved").GetInt64()));
        Assert.Equal(byReward.GetProperty("entryId").GetString(), replay.GetProperty("entryId").GetString());

        var connectionId = (await t.ConnectWooAsync(settings: new { minRedeemPoints = 100 })).GetProperty("connection").GetProperty("id").GetString()!;
        var byPoints = await pos.FieldAsync(Redeem, "redeemAtPos", new { input = new { member = new { email = ann.Email }, points = 300, connectionId, transactionReference = "sale-2", idempotencyKey = "pos-2" } });
        Assert.Equal((300, 15.00m, 1_200), (byPoints.GetProperty("points").GetInt64(), byPoints.GetProperty("value").GetDecimal(), byPoints.GetProperty("balance").GetProperty("approved").GetInt64()));

        var tooMuch = await pos.FieldAsync(Redeem, "redeemAtPos", new { input = new { member = new { email = ann.Email }, points = 5_000, transactionReference = "sale-3", idempotencyKey = "pos-3" } });
        Assert.Equal("INSUFFICIENT_POINTS", tooMuch.GetProperty("userErrors")[0].GetProperty("code").GetString());
        Assert.Equal(1_200, await t.ApprovedAsync(ann.Id));

        var events = await t.App.WithTenantAsync(t.Slug, db => db.DomainEvents.AsNoTracking()
            .Where(e => e.Type == EventTypes.PointsRedeemedAtPos).OrderBy(e => e.Id).Select(e => e.Payload).ToListAsync());
        Assert.Equal(2, events.Count);
        var first = JsonSerializer.Deserialize<PointsRedeemedAtPosPayload>(events[0], new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal((ann.Id, 500L, 1_500L, (string?)null, "loc-1", "sale-1", (decimal?)5m), (first.MemberId, first.Points, first.BalanceAfter, first.StoreId, first.LocationId, first.TransactionReference, first.Value));
        var second = JsonSerializer.Deserialize<PointsRedeemedAtPosPayload>(events[1], new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal((StoreTestApp.Raw(connectionId).ToString("D"), 300L), (second.StoreId, second.Points));
    }

    private const string RedeemAtPos = """
        mutation($input: RedeemAtPosInput!) { redeemAtPos(input: $input) { points value balance { approved } userErrors { code field message } } }
        """;

    [Theory, SqliteData, PostgresData]
    public async Task Redeeming_at_the_till_of_a_store_respects_its_pause_disconnection_and_point_bounds_and_is_audit_logged(string provider)
    {
        var (t, ann, pos) = await StartAsync(provider);
        await using var _ = t;
        using var __ = pos;
        var connectionId = (await t.ConnectWooAsync(settings: new { minRedeemPoints = 200, maxRedeemPoints = 600 })).GetProperty("connection").GetProperty("id").GetString()!;
        Task<System.Text.Json.JsonElement> Redeem(long points, string key) => pos.FieldAsync(RedeemAtPos, "redeemAtPos",
            new { input = new { member = new { email = ann.Email }, points, connectionId, locationId = "till-7", transactionReference = $"sale-{key}", idempotencyKey = key } });

        Assert.Equal(["INVALID_INPUT:points"], UserErrorsOf(await Redeem(150, "below")));
        Assert.Equal(["INVALID_INPUT:points"], UserErrorsOf(await Redeem(700, "above")));
        var ok = await Redeem(400, "ok");
        Assert.Empty(UserErrorsOf(ok));
        Assert.Equal((400, 20.00m, 1_600), (ok.GetProperty("points").GetInt64(), ok.GetProperty("value").GetDecimal(), ok.GetProperty("balance").GetProperty("approved").GetInt64()));

        await t.StoreMutationAsync("pauseStore", connectionId);
        Assert.Equal(["STORE_PAUSED:"], UserErrorsOf(await Redeem(300, "paused")));
        await t.StoreMutationAsync("resumeStore", connectionId);
        await t.StoreMutationAsync("disconnectStore", connectionId);
        Assert.Equal(["STORE_DISCONNECTED:"], UserErrorsOf(await Redeem(300, "gone")));

        Assert.Equal(1_600, await t.ApprovedAsync(ann.Id));
        Assert.Equal(1, await t.App.WithTenantAsync(t.Slug, db => db.DomainEvents.CountAsync(e => e.Type == EventTypes.PointsRedeemedAtPos)));
        var audit = await t.AuditAsync(connectionId);
        var line = Assert.Single(audit, a => a.Action == HeadlessLoyalty.Api.Stores.StoreAuditActions.RedeemedAtPos);
        Assert.StartsWith("pos", line.Actor);
        Assert.Contains("400 points", line.Detail);
        Assert.Contains("sale-ok", line.Detail);
        Assert.Contains("till-7", line.Detail);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_till_sees_one_history_across_channels_an_online_store_order_and_an_in_store_purchase(string provider)
    {
        await using var h = await Ingest.StoreIngestHarness.StartAsync(provider);
        using var pos = h.App.CreateClient(h.App.MintToken(h.Slug, Roles.Pos));
        // Online: a signed WooCommerce order.updated delivery, processed into a purchase (the member is created from the billing details).
        var delivered = await h.PostWooAsync(h.Woo, Ingest.StoreIngestHarness.WooOrder(1001, "completed", "Omni.Channel@Example.com", total: "40.00"));
        Assert.True(delivered.IsSuccessStatusCode);
        Assert.Equal(1, await h.ProcessAsync());
        var member = await h.Db(db => db.Members.AsNoTracking().SingleAsync());
        // In store: the till records the sale at its location, on the Shopify store.
        var recorded = await pos.FieldAsync("""
            mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { purchase { id } userErrors { code field } } }
            """, "recordPurchase", new { input = new { memberId = MemberId(member.Id), channel = "POS", storeId = HeadlessLoyalty.Api.Stores.StoreConnection.KeyOf(h.Shop), locationId = "till-3", orderReference = "pos-77", amount = 25m, currency = "USD" } });
        Assert.Empty(UserErrorsOf(recorded));

        var found = Assert.Single((await pos.FieldAsync("""
            query($s: String!) { posCustomers(search: $s) {
              balance { approved pending }
              purchases(first: 10) { totalCount nodes { channel storeId locationId orderReference amount pointsEarned } }
              history(first: 10) { totalCount nodes { kind points sourceReference } } } }
            """, "posCustomers", new { s = "omni.channel@example.com" })).EnumerateArray());

        var purchases = found.GetProperty("purchases").GetProperty("nodes").EnumerateArray()
            .Select(p => (Channel: p.GetProperty("channel").GetString(), Store: p.GetProperty("storeId").GetString(), Location: p.GetProperty("locationId").GetString(),
                Order: p.GetProperty("orderReference").GetString(), Amount: p.GetProperty("amount").GetDecimal(), Points: p.GetProperty("pointsEarned").GetInt64()))
            .OrderBy(p => p.Channel, StringComparer.Ordinal).ToList();
        Assert.Equal(2, found.GetProperty("purchases").GetProperty("totalCount").GetInt32());
        Assert.Equal(("ONLINE", HeadlessLoyalty.Api.Stores.StoreConnection.KeyOf(h.Woo), (string?)null, "1001", 40m),
            (purchases[0].Channel, purchases[0].Store, purchases[0].Location, purchases[0].Order, purchases[0].Amount));
        Assert.Equal(("POS", HeadlessLoyalty.Api.Stores.StoreConnection.KeyOf(h.Shop), "till-3", "pos-77", 25m),
            (purchases[1].Channel, purchases[1].Store, purchases[1].Location, purchases[1].Order, purchases[1].Amount));
        Assert.All(purchases, p => Assert.True(p.Points > 0));

        // Both earned into the one ledger the tile shows.
        var earned = found.GetProperty("history").GetProperty("nodes").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "EARN").Select(e => e.GetProperty("points").GetInt64()).ToList();
        Assert.Equal(purchases.Select(p => p.Points).Order(), earned.Order());
        var balance = found.GetProperty("balance");
        Assert.Equal(purchases.Sum(p => p.Points), balance.GetProperty("approved").GetInt64() + balance.GetProperty("pending").GetInt64());
    }
}
