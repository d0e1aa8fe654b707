using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Stores.Shopify;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Stores.Checkout;

/// <summary>Loyalty values of linked members synced to their Shopify customer's metafields (fake Shopify), on SQLite and PostgreSQL.</summary>
public sealed class ShopifyMetafieldSyncTests
{
    private static (string, string, string) Balance(string customer) => ($"gid://shopify/Customer/{customer}", ShopifyMetafieldSync.Namespace, ShopifyMetafieldSync.BalanceKey);

    private static async Task<int> SyncAsync(CheckoutTestApp c)
    {
        await c.T.App.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        return await c.T.App.Services.GetRequiredService<ShopifyMetafieldSync>().RunOnceAsync();
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_balance_and_tier_change_reach_the_linked_customers_metafields_and_unlinked_members_are_not_sent(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        await c.T.App.AddTiersAsync(c.T.Slug, ("Bronze", 0), ("Silver", 100));
        var stranger = await c.T.App.EnrollAsync(c.T.Slug, "stranger@example.com");
        await c.T.App.AdjustAsync(c.T.Slug, stranger.Id, 50);

        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("2000", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
        Assert.DoesNotContain(c.T.Shopify.Metafields.Keys, k => k.OwnerId != $"gid://shopify/Customer/{CheckoutTestApp.CustomerId}");

        // Nothing new: nothing sent.
        var calls = c.T.Shopify.GraphQLRequests("metafieldsSet");
        Assert.Equal(0, await SyncAsync(c));
        Assert.Equal(calls, c.T.Shopify.GraphQLRequests("metafieldsSet"));

        // Points spent at checkout (points.redeemed), then earned (points.earned); the tier held is sent with them.
        using (var shopper = c.Storefront())
            Assert.Empty(GraphQLClient.UserErrorsOf(await c.ApplyAsync(shopper, 1_950, "mf-1")));
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("50", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
        await c.T.App.PostAsync(c.T.Slug, new PostPointsInput(c.Member.Id, LedgerEntryKind.Earn, 120, SourceReference: "order-mf"));
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("170", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
        var tier = await c.T.App.WithTenantAsync(c.T.Slug, db => (from mt in db.MemberTiers join t in db.Tiers on mt.TierId equals t.Id where mt.MemberId == c.Member.Id select t.Name).FirstOrDefaultAsync());
        var tierKey = ($"gid://shopify/Customer/{CheckoutTestApp.CustomerId}", ShopifyMetafieldSync.Namespace, ShopifyMetafieldSync.TierKey);
        Assert.NotNull(tier);
        Assert.Equal(tier, c.T.Shopify.Metafields.GetValueOrDefault(tierKey));
        var cursor = await c.T.App.WithTenantAsync(c.T.Slug, db => db.EventConsumers.AsNoTracking().SingleAsync(x => x.Name == ShopifyMetafieldSync.ConsumerName(c.Connection)));
        Assert.Equal(await c.T.App.WithTenantAsync(c.T.Slug, db => EventLog.HeadAsync(db)), cursor.Position);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Throttled_calls_are_retried_and_a_pass_that_still_fails_keeps_the_cursor_for_the_next(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);

        c.T.Shopify.ThrottleNext(2);
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal(3, c.T.Shopify.GraphQLRequests("metafieldsSet"));
        Assert.Equal("2000", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);

        await c.T.App.PostAsync(c.T.Slug, new PostPointsInput(c.Member.Id, LedgerEntryKind.Earn, 100, SourceReference: "order-1"));
        c.T.Shopify.ThrottleNext(4); // the first try and the client's three retries
        Assert.Equal(0, await SyncAsync(c));
        Assert.Equal("2000", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);

        Assert.Equal(7, c.T.Shopify.GraphQLRequests("metafieldsSet"));
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("2100", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
    }

    private static Task<JsonElement> AdjustAsync(CheckoutTestApp c, Guid memberId, long points, string key) =>
        c.T.Admin.MutateInputAsync("mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { balance { approved } userErrors { code field message } } }",
            "adjustPoints", new { memberId = MemberId(memberId), points, reason = "goodwill", idempotencyKey = key });

    private static async Task<JsonElement> RunJobAsync(CheckoutTestApp c, string job)
    {
        using var admin = c.T.App.CreateClient(c.T.App.MintToken(c.T.Slug, Roles.Admin)); // minted now: the clock may have passed StoreTestApp's token
        using var run = await admin.PostGraphQLAsync($"mutation {{ runJob(name: \"{job}\") {{ run {{ outcome processed }} userErrors {{ code }} }} }}");
        var result = run.Data.GetProperty("runJob").GetProperty("run").Clone();
        Assert.Equal("SUCCEEDED", result.GetProperty("outcome").GetString());
        return result;
    }

    private static Task<long> CursorAsync(CheckoutTestApp c) =>
        c.T.App.WithTenantAsync(c.T.Slug, db => db.EventConsumers.AsNoTracking().Where(x => x.Name == ShopifyMetafieldSync.ConsumerName(c.Connection)).Select(x => x.Position).SingleAsync());

    [Theory, SqliteData, PostgresData]
    public async Task An_admin_adjustment_of_either_sign_reaches_the_metafield_on_the_next_pass_as_points_adjusted(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("2000", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);

        foreach (var (points, expected) in new[] { (250L, "2250"), (-400L, "1850") })
        {
            var adjusted = await AdjustAsync(c, c.Member.Id, points, $"adj-{points}");
            Assert.Empty(adjusted.GetProperty("userErrors").EnumerateArray());
            Assert.Equal(1, await SyncAsync(c));
            Assert.Equal(expected, c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
        }
        // Each adjustment is one points.adjusted (and no other event) with the signed change and the balance after it.
        var events = await c.T.App.WithTenantAsync(c.T.Slug, db => db.DomainEvents.AsNoTracking().Where(e => e.MemberId == c.Member.Id).OrderBy(e => e.Position).ToListAsync());
        var adjustments = events.Where(e => e.Type == EventTypes.PointsAdjusted).Select(e => Assert.IsType<PointsAdjustedPayload>(DomainEvents.ReadPayload(e))).ToList();
        Assert.Equal(
            [(2_000L, 2_000L, "seed"), (250L, 2_250L, "goodwill"), (-400L, 1_850L, "goodwill")],
            adjustments.Select(a => (a.PointsDelta, a.BalanceAfter, a.Reason)));
        Assert.All(adjustments, a => Assert.Equal((c.Member.Id, "shopper@example.com", PointsAdjustedCauses.Admin), (a.MemberId, a.Email, a.Cause)));
        Assert.Equal([EventTypes.MemberEnrolled, EventTypes.PointsAdjusted, EventTypes.PointsAdjusted, EventTypes.PointsAdjusted], events.Select(e => e.Type));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_checkout_discount_expiring_unused_sends_the_returned_balance(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        using (var shopper = c.Storefront())
            Assert.Empty(GraphQLClient.UserErrorsOf(await c.ApplyAsync(shopper, 1_500, "mf-exp")));
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("500", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);

        // Past the discount's lifetime and the grace for late orders: the job returns the points.
        c.T.App.Clock.Advance(CheckoutTestApp.PastReturn);
        Assert.Equal(1, await c.RunExpiryAsync());
        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("2000", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
        var returned = await c.T.App.WithTenantAsync(c.T.Slug, db => db.DomainEvents.AsNoTracking().Where(e => e.MemberId == c.Member.Id).OrderBy(e => e.Position).ToListAsync());
        var payload = Assert.IsType<PointsAdjustedPayload>(DomainEvents.ReadPayload(returned[^1]));
        Assert.Equal((1_500L, 2_000L, PointsAdjustedCauses.CheckoutReturn), (payload.PointsDelta, payload.BalanceAfter, payload.Cause));
        Assert.StartsWith("checkout-return:", payload.SourceReference);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_cursor_behind_event_retention_resends_every_linked_customer_and_resumes_at_the_head_it_started_from(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        var ann = await c.T.App.EnrollAsync(c.T.Slug, "ann@example.com");
        await c.T.LinkCustomerAsync(ann.Id, c.Connection, "7002");
        await c.T.App.AdjustAsync(c.T.Slug, ann.Id, 300);
        Assert.Equal(2, await SyncAsync(c));
        Assert.Equal(("2000", "300"), (c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)], c.T.Shopify.Metafields[Balance("7002")]));

        // Both balances change, then the sync does not run (e.g. broken credentials) for longer than the retention.
        await c.T.App.PostAsync(c.T.Slug, new PostPointsInput(c.Member.Id, LedgerEntryKind.Earn, 100, SourceReference: "order-ret"));
        await c.T.App.AdjustAsync(c.T.Slug, ann.Id, -50);
        var bea = await c.T.App.EnrollAsync(c.T.Slug, "bea@example.com"); // linked later: her enrolment is deleted too
        await c.T.App.AdjustAsync(c.T.Slug, bea.Id, 40);
        await c.T.LinkCustomerAsync(bea.Id, c.Connection, "7003");
        c.T.App.Clock.Advance(TimeSpan.FromDays(31));
        await c.T.App.EnrollAsync(c.T.Slug, "stranger@example.com"); // a recent event of an unlinked member
        var head = await c.T.App.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        Assert.True((await RunJobAsync(c, "event-retention")).GetProperty("processed").GetInt32() > 0);
        var deletedThrough = await c.T.App.WithTenantAsync(c.T.Slug, db => EventLog.DeletedThroughAsync(db));
        Assert.True(await CursorAsync(c) < deletedThrough);

        // While the resync sends (its values already read), Ann's balance changes again and its event is positioned.
        c.T.Shopify.BeforeNextMetafieldsSet(async () =>
        {
            await c.T.App.AdjustAsync(c.T.Slug, ann.Id, 5);
            await c.T.App.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        });
        // The pass resyncs the three linked customers, then resumes after the head read BEFORE the resync, so it
        // reads Ann's new event and sends her again (a cursor moved to the head after the resync would skip it).
        Assert.Equal(3 + 1, await SyncAsync(c));
        Assert.Equal(("2100", "255", "40"), (c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)], c.T.Shopify.Metafields[Balance("7002")], c.T.Shopify.Metafields[Balance("7003")]));
        var newHead = await c.T.App.WithTenantAsync(c.T.Slug, db => EventLog.HeadAsync(db));
        Assert.True(newHead > head);
        Assert.Equal(newHead, await CursorAsync(c));

        // Nothing new: nothing resent.
        var calls = c.T.Shopify.GraphQLRequests("metafieldsSet");
        Assert.Equal(0, await SyncAsync(c));
        Assert.Equal(calls, c.T.Shopify.GraphQLRequests("metafieldsSet"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_connection_never_synced_whose_members_events_were_deleted_by_retention_resends_every_linked_customer(string provider)
    {
        await using var c = await CheckoutTestApp.StartAsync(provider);
        c.T.App.Clock.Advance(TimeSpan.FromDays(31));
        await c.T.App.EnrollAsync(c.T.Slug, "stranger@example.com");
        var head = await c.T.App.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        Assert.True((await RunJobAsync(c, "event-retention")).GetProperty("processed").GetInt32() > 0);

        Assert.Equal(1, await SyncAsync(c));
        Assert.Equal("2000", c.T.Shopify.Metafields[Balance(CheckoutTestApp.CustomerId)]);
        Assert.Equal(head, await CursorAsync(c));
    }
}
