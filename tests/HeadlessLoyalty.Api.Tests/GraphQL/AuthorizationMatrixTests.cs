using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.GraphQL.Authorization;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>
/// Every root field of SCHEMA-SPEC.md x every role (and anonymous): allowed roles are served (data or userErrors),
/// other roles get 403 FORBIDDEN, anonymous callers 401 UNAUTHENTICATED. The table below is the contract's role list;
/// <see cref="The_table_covers_every_root_field_of_the_running_schema"/> keeps it complete.
/// </summary>
public abstract class AuthorizationMatrixTests(DatabaseFixture fixture)
{
    private const string Anonymous = "anonymous";
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    /// <summary>Root field -> roles allowed to call it (SCHEMA-SPEC.md).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedRoles = new Dictionary<string, string[]>
    {
        ["Query.me"] = [Roles.Storefront],
        ["Query.member"] = [Roles.Admin, Roles.Pos, Roles.Partner, Roles.Service],
        ["Query.members"] = [Roles.Admin, Roles.Partner, Roles.Service],
        ["Query.tiers"] = [.. Roles.All],
        ["Query.program"] = [.. Roles.All],
        ["Query.node"] = [.. Roles.All],
        ["Mutation.enrollMember"] = [Roles.Admin, Roles.Pos, Roles.Service],
        ["Mutation.updateMember"] = [Roles.Admin, Roles.Pos, Roles.Service],
        ["Mutation.adjustPoints"] = [Roles.Admin, Roles.Service],
        ["Mutation.blockMember"] = [Roles.Admin],
        ["Mutation.unblockMember"] = [Roles.Admin],
        ["Query.earningRules"] = [Roles.Admin, Roles.Pos, Roles.Partner, Roles.Service],
        ["Mutation.recordPurchase"] = [Roles.Admin, Roles.Pos, Roles.Service],
        ["Mutation.reversePurchase"] = [Roles.Admin, Roles.Pos, Roles.Service],
        ["Mutation.updateEarningRules"] = [Roles.Admin],
        ["Query.rewards"] = [.. Roles.All],
        ["Query.segmentRules"] = [Roles.Admin, Roles.Partner, Roles.Service],
        ["Mutation.updateSegmentRules"] = [Roles.Admin],
        ["Query.expiryPolicy"] = [Roles.Admin, Roles.Partner, Roles.Service],
        ["Mutation.updateExpiryPolicy"] = [Roles.Admin],
        ["Mutation.createReward"] = [Roles.Admin],
        ["Mutation.updateReward"] = [Roles.Admin],
        ["Mutation.redeemCoupon"] = [Roles.Admin, Roles.Pos, Roles.Storefront, Roles.Service],
        ["Query.activityRules"] = [Roles.Admin, Roles.Pos, Roles.Partner, Roles.Service],
        ["Mutation.upsertActivityRule"] = [Roles.Admin],
        ["Mutation.recordActivity"] = [Roles.Admin, Roles.Pos, Roles.Service],
        ["Query.jobs"] = [Roles.Admin],
        ["Mutation.runJob"] = [Roles.Admin],
        ["Query.referralSettings"] = [Roles.Admin, Roles.Partner, Roles.Service],
        ["Mutation.updateReferralSettings"] = [Roles.Admin],
        ["Query.tierPolicy"] = [.. Roles.All],
        ["Mutation.updateTierPolicy"] = [Roles.Admin],
        ["Mutation.createTier"] = [Roles.Admin],
        ["Mutation.updateTier"] = [Roles.Admin],
        ["Mutation.deleteTier"] = [Roles.Admin],
        ["Query.events"] = [Roles.Admin, Roles.Partner, Roles.Service, Roles.Storefront],
        ["Query.eventConsumers"] = [Roles.Admin, Roles.Partner, Roles.Service],
        ["Mutation.acknowledgeEvents"] = [Roles.Admin, Roles.Partner, Roles.Service],
        ["Subscription.loyaltyEvents"] = [Roles.Admin, Roles.Partner, Roles.Service, Roles.Storefront],
        ["Query.webhookSubscriptions"] = [Roles.Admin],
        ["Query.webhookDeliveries"] = [Roles.Admin],
        ["Query.storeDeliveries"] = [Roles.Admin],
        ["Query.storeDeliveryStats"] = [Roles.Admin],
        ["Query.storeCatalog"] = [Roles.Admin],
        ["Mutation.createWebhookSubscription"] = [Roles.Admin],
        ["Mutation.updateWebhookSubscription"] = [Roles.Admin],
        ["Mutation.deleteWebhookSubscription"] = [Roles.Admin],
        ["Mutation.enableWebhookSubscription"] = [Roles.Admin],
        ["Mutation.rotateWebhookSecret"] = [Roles.Admin],
        ["Mutation.redeliverWebhook"] = [Roles.Admin],
        ["Query.storeConnection"] = [Roles.Admin],
        ["Query.storeConnections"] = [Roles.Admin],
        ["Query.storeAuditLog"] = [Roles.Admin],
        ["Mutation.connectStore"] = [Roles.Admin],
        ["Mutation.pauseStore"] = [Roles.Admin],
        ["Mutation.resumeStore"] = [Roles.Admin],
        ["Mutation.disconnectStore"] = [Roles.Admin],
        ["Mutation.updateStoreSettings"] = [Roles.Admin],
        ["Query.checkout"] = [Roles.Admin, Roles.Pos, Roles.Storefront],
        ["Mutation.applyPointsAtCheckout"] = [Roles.Admin, Roles.Pos, Roles.Storefront],
        ["Query.posCustomers"] = [Roles.Admin, Roles.Pos],
        ["Mutation.redeemAtPos"] = [Roles.Admin, Roles.Pos],
    };

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in AllowedRoles.Keys)
            foreach (var caller in Roles.All.Append(Anonymous))
                data.Add(field, caller);
        return data;
    }

    private sealed record Seed(string Slug, Guid MemberId);

    // One program and member per factory: the matrix has a row per root field and caller, each only needs a valid target.
    private static readonly ConcurrentDictionary<LoyaltyApiFactory, Lazy<Task<Seed>>> Seeds = new();

    private Task<Seed> SeedAsync() => Seeds.GetOrAdd(_app, app => new Lazy<Task<Seed>>(async () =>
    {
        var slug = NewSlug("auth");
        await app.CreateProgramAsync(slug);
        var member = await app.EnrollAsync(slug, "matrix@example.com", "Mat", "Rix");
        await app.AdjustAsync(slug, member.Id, 1_000);
        await app.WithTenantAsync(slug, db => ActivityOperations.UpsertRuleAsync(db, app.Clock, new ActivityRuleInput(ActivityType.Custom, "matrix", 1)));
        return new Seed(slug, member.Id);
    })).Value;

    /// <summary>A minimal valid operation selecting <paramref name="field"/> and its variables.</summary>
    private static (string Query, object Variables) Operation(string field, Guid memberId) => field switch
    {
        "Query.me" => ("{ me { id } }", new { }),
        "Query.member" => ("query($id: ID!) { member(by: { id: $id }) { id } }", new { id = MemberId(memberId) }),
        "Query.members" => ("{ members(first: 1) { totalCount } }", new { }),
        "Query.tiers" => ("{ tiers { id } }", new { }),
        "Query.program" => ("{ program { slug } }", new { }),
        "Query.node" => ("query($id: ID!) { node(id: $id) { id } }", new { id = MemberId(memberId) }),
        "Mutation.enrollMember" => ("mutation($email: String!) { enrollMember(input: { email: $email }) { member { id } userErrors { code } } }",
            new { email = $"{Guid.NewGuid():N}@example.com" }),
        "Mutation.updateMember" => ("mutation($id: ID!) { updateMember(input: { memberId: $id, firstName: \"Mat\" }) { member { id } userErrors { code } } }",
            new { id = MemberId(memberId) }),
        "Mutation.adjustPoints" => ("mutation($id: ID!, $key: String!) { adjustPoints(input: { memberId: $id, points: 1, reason: \"matrix\", idempotencyKey: $key }) { entry { id } userErrors { code } } }",
            new { id = MemberId(memberId), key = Guid.NewGuid().ToString("N") }),
        "Mutation.blockMember" => ("mutation($id: ID!) { blockMember(input: { memberId: $id, reason: \"matrix\" }) { member { id } userErrors { code } } }",
            new { id = MemberId(memberId) }),
        "Mutation.unblockMember" => ("mutation($id: ID!) { unblockMember(input: { memberId: $id }) { member { id } userErrors { code } } }",
            new { id = MemberId(memberId) }),
        "Query.earningRules" => ("{ earningRules { pointsPerCurrencyUnit } }", new { }),
        "Mutation.recordPurchase" => ("mutation($id: ID!, $ref: String!) { recordPurchase(input: { memberId: $id, channel: POS, orderReference: $ref, amount: 1, currency: \"USD\" }) { purchase { id } userErrors { code } } }",
            new { id = MemberId(memberId), @ref = Guid.NewGuid().ToString("N") }),
        "Mutation.reversePurchase" => ("mutation($ref: String!) { reversePurchase(input: { channel: POS, orderReference: $ref }) { pointsTakenBack userErrors { code } } }",
            new { @ref = Guid.NewGuid().ToString("N") }),
        "Query.rewards" => ("{ rewards { id } }", new { }),
        "Query.segmentRules" => ("{ segmentRules { loyalMinPurchases } }", new { }),
        "Mutation.updateSegmentRules" => ("mutation { updateSegmentRules(input: { loyalMinPurchases: 3 }) { segmentRules { loyalMinPurchases } userErrors { code } } }", new { }),
        "Query.expiryPolicy" => ("{ expiryPolicy { lotValidityMonths inactivityMonths } }", new { }),
        "Mutation.updateExpiryPolicy" => ("mutation { updateExpiryPolicy(input: { lotValidityMonths: 12 }) { expiryPolicy { lotValidityMonths } userErrors { code } } }", new { }),
        "Mutation.createReward" => ("mutation { createReward(input: { name: \"Matrix\", kind: FREE_SHIPPING, pointsCost: 1 }) { reward { id } userErrors { code } } }", new { }),
        "Mutation.updateReward" => ("mutation($id: ID!) { updateReward(id: $id, input: { name: \"Matrix\", kind: FREE_SHIPPING, pointsCost: 1 }) { reward { id } userErrors { code } } }",
            new { id = RewardId(Guid.NewGuid()) }),
        "Mutation.redeemCoupon" => ("mutation($member: ID!, $reward: ID!, $key: String!) { redeemCoupon(input: { member: { id: $member }, rewardId: $reward, idempotencyKey: $key }) { coupon { id } userErrors { code } } }",
            new { member = MemberId(memberId), reward = RewardId(Guid.NewGuid()), key = Guid.NewGuid().ToString("N") }),
        "Mutation.updateEarningRules" => ("mutation { updateEarningRules(input: { pendingDays: 0 }) { earningRules { pendingDays } userErrors { code } } }", new { }),
        "Query.activityRules" => ("{ activityRules { key points } }", new { }),
        "Mutation.upsertActivityRule" => ("mutation { upsertActivityRule(input: { type: REVIEW, points: 5 }) { activityRule { key } userErrors { code } } }", new { }),
        "Mutation.recordActivity" => ("mutation($id: ID!, $ref: String!) { recordActivity(input: { memberId: $id, key: \"matrix\", reference: $ref }) { award { id } userErrors { code } } }",
            new { id = MemberId(memberId), @ref = Guid.NewGuid().ToString("N") }),
        "Query.jobs" => ("{ jobs { name lastRun { outcome } nextRunAt } }", new { }),
        "Mutation.runJob" => ("mutation { runJob(name: \"pending-approval\") { run { outcome processed } userErrors { code } } }", new { }),
        "Query.referralSettings" => ("{ referralSettings { enabled baseUrl } }", new { }),
        "Mutation.updateReferralSettings" => ("mutation { updateReferralSettings(input: { minPurchaseAmount: 0 }) { referralSettings { enabled } userErrors { code } } }", new { }),
        "Query.tierPolicy" => ("{ tierPolicy { metric qualificationPeriod periodEnd } }", new { }),
        "Mutation.updateTierPolicy" => ("mutation { updateTierPolicy(input: { periodEnd: RECOMPUTE }) { tierPolicy { periodEnd } userErrors { code } } }", new { }),
        "Mutation.createTier" => ("mutation($name: String!) { createTier(input: { name: $name, threshold: -1 }) { tier { id } userErrors { code } } }",
            new { name = $"T{Guid.NewGuid():N}"[..12] }),
        "Mutation.updateTier" => ("mutation($id: ID!) { updateTier(input: { tierId: $id, name: \"Matrix\" }) { tier { id } userErrors { code } } }",
            new { id = TierId(Guid.NewGuid()) }),
        "Mutation.deleteTier" => ("mutation($id: ID!) { deleteTier(input: { tierId: $id }) { deletedTierId userErrors { code } } }",
            new { id = TierId(Guid.NewGuid()) }),
        "Query.events" => ("{ events(first: 5) { edges { cursor node { id type } } pageInfo { hasNextPage } } }", new { }),
        "Query.eventConsumers" => ("{ eventConsumers { name lag } }", new { }),
        "Mutation.acknowledgeEvents" => ("mutation { acknowledgeEvents(input: { consumer: \"matrix\", position: 0 }) { consumer { name } userErrors { code } } }", new { }),
        "Subscription.loyaltyEvents" => ("subscription { loyaltyEvents(after: \"0\") { id position } }", new { }),
        "Query.webhookSubscriptions" => ("{ webhookSubscriptions { id status } }", new { }),
        "Query.webhookDeliveries" => ("query($id: ID!) { webhookDeliveries(subscriptionId: $id, first: 1) { totalCount } }", new { id = WebhookId(Guid.NewGuid()) }),
        "Query.storeDeliveries" => ("query($id: ID!) { storeDeliveries(connectionId: $id, first: 1) { totalCount } }", new { id = StoreId(Guid.NewGuid()) }),
        "Query.storeDeliveryStats" => ("query($id: ID!) { storeDeliveryStats(connectionId: $id) { processed } }", new { id = StoreId(Guid.NewGuid()) }),
        "Query.storeCatalog" => ("query($id: ID!) { storeCatalog(connectionId: $id, first: 1) { totalCount } }", new { id = StoreId(Guid.NewGuid()) }),
        // Subscribed to webhook.disabled only: the matrix's own writes give the dispatcher nothing to send.
        "Mutation.createWebhookSubscription" => ("mutation { createWebhookSubscription(input: { url: \"https://hooks.example.com/matrix\", types: [\"webhook.disabled\"] }) { subscription { id } secret userErrors { code } } }", new { }),
        "Mutation.updateWebhookSubscription" => ("mutation($id: ID!) { updateWebhookSubscription(input: { id: $id, description: \"matrix\" }) { subscription { id } userErrors { code } } }",
            new { id = WebhookId(Guid.NewGuid()) }),
        "Mutation.deleteWebhookSubscription" => ("mutation($id: ID!) { deleteWebhookSubscription(input: { id: $id }) { deletedSubscriptionId userErrors { code } } }", new { id = WebhookId(Guid.NewGuid()) }),
        "Mutation.enableWebhookSubscription" => ("mutation($id: ID!) { enableWebhookSubscription(input: { id: $id }) { subscription { id } userErrors { code } } }", new { id = WebhookId(Guid.NewGuid()) }),
        "Mutation.rotateWebhookSecret" => ("mutation($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret userErrors { code } } }", new { id = WebhookId(Guid.NewGuid()) }),
        "Mutation.redeliverWebhook" => ("mutation($id: ID!) { redeliverWebhook(input: { deliveryId: $id }) { delivery { id } userErrors { code } } }",
            new { id = HeadlessLoyalty.GraphQL.Relay.GlobalId.Encode("WebhookDelivery", Guid.NewGuid().ToString()) }),
        "Query.storeConnection" => ("query($id: ID!) { storeConnection(id: $id) { id status } }", new { id = StoreId(Guid.NewGuid()) }),
        "Query.storeConnections" => ("{ storeConnections { id status } }", new { }),
        "Query.storeAuditLog" => ("{ storeAuditLog(first: 1) { totalCount } }", new { }),
        // Plain http: refused (STORE_URL_INVALID) before any call to a store.
        "Mutation.connectStore" => ("mutation { connectStore(input: { platform: WOOCOMMERCE, url: \"http://shop.example.com\", credentials: { consumerKey: \"ck\", consumerSecret: \"cs\" } }) { connection { id } userErrors { code } } }", new { }),
        "Mutation.pauseStore" => ("mutation($id: ID!) { pauseStore(input: { id: $id }) { connection { id } userErrors { code } } }", new { id = StoreId(Guid.NewGuid()) }),
        "Mutation.resumeStore" => ("mutation($id: ID!) { resumeStore(input: { id: $id }) { connection { id } userErrors { code } } }", new { id = StoreId(Guid.NewGuid()) }),
        "Mutation.disconnectStore" => ("mutation($id: ID!) { disconnectStore(input: { id: $id }) { connection { id } userErrors { code } } }", new { id = StoreId(Guid.NewGuid()) }),
        "Mutation.updateStoreSettings" => ("mutation($id: ID!) { updateStoreSettings(input: { id: $id, settings: { awardOn: COMPLETED_ONLY } }) { connection { id } userErrors { code } } }", new { id = StoreId(Guid.NewGuid()) }),
        // No store connected: refused (STORE_NOT_RESOLVED / INVALID_INPUT) after the role check.
        "Query.checkout" => ("{ checkout { balance } }", new { }),
        "Mutation.applyPointsAtCheckout" => ("mutation { applyPointsAtCheckout(input: { points: 1000, idempotencyKey: \"matrix\" }) { discount { id } userErrors { code } } }", new { }),
        "Query.posCustomers" => ("{ posCustomers(search: \"matrix@example.com\") { id } }", new { }),
        "Mutation.redeemAtPos" => ("mutation($id: ID!, $key: String!) { redeemAtPos(input: { member: { id: $id }, points: 10, transactionReference: \"sale\", idempotencyKey: $key }) { points userErrors { code } } }",
            new { id = MemberId(memberId), key = Guid.NewGuid().ToString() }),
        _ => throw new ArgumentException($"No operation for {field}: add one when adding the field to the table.", nameof(field)),
    };

    private HttpClient ClientFor(string caller, Seed seed) => caller == Anonymous
        ? _app.CreateClient()
        : _app.CreateClient(_app.MintToken(seed.Slug, caller, caller == Roles.Storefront ? seed.MemberId : null));

    [DbTheory]
    [MemberData(nameof(Matrix))]
    public async Task Each_root_field_serves_exactly_the_roles_of_the_contract(string field, string caller)
    {
        var seed = await SeedAsync();
        var (query, variables) = Operation(field, seed.MemberId);
        using var client = ClientFor(caller, seed);

        // Subscriptions are not served over plain HTTP: their rows go over graphql-sse and read the first result; the
        // stream has already started (200) when a refusal arrives as its first event, so only the code tells.
        var streamed = field.StartsWith("Subscription.", StringComparison.Ordinal);
        using var result = streamed
            ? await client.FirstSseResultAsync(query, variables)
            : await client.PostGraphQLAsync(query, variables);

        var name = field[(field.IndexOf('.') + 1)..];
        if (caller == Anonymous)
        {
            Assert.True(streamed || result.Status == HttpStatusCode.Unauthorized, $"anonymous {field}: expected 401, got {result}");
            Assert.Contains("UNAUTHENTICATED", result.ErrorCodes);
            Assert.False(result.Root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object, $"no data for anonymous: {result}");
        }
        else if (AllowedRoles[field].Contains(caller))
        {
            Assert.True(result.Status == HttpStatusCode.OK, $"{caller} {field}: expected 200, got {result}");
            Assert.DoesNotContain("FORBIDDEN", result.ErrorCodes);
            Assert.DoesNotContain("UNAUTHENTICATED", result.ErrorCodes);
            Assert.True(result.Data.TryGetProperty(name, out _), $"{caller} {field}: data.{name} missing: {result}");
        }
        else
        {
            Assert.True(streamed || result.Status == HttpStatusCode.Forbidden, $"{caller} {field}: expected 403, got {result}");
            Assert.Contains("FORBIDDEN", result.ErrorCodes);
            Assert.False(result.Root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object, $"no data when forbidden: {result}");
        }
    }

    [DbFact]
    public async Task One_forbidden_field_refuses_the_whole_document()
    {
        var seed = await SeedAsync();
        using var client = ClientFor(Roles.Storefront, seed);

        using var result = await client.PostGraphQLAsync("{ tiers { id } program { slug } members(first: 1) { totalCount } }");

        Assert.True(result.Status == HttpStatusCode.Forbidden, result.ToString());
        Assert.Contains("FORBIDDEN", result.ErrorCodes);
    }

    [DbFact]
    public async Task The_table_covers_every_root_field_of_the_running_schema()
    {
        var seed = await SeedAsync();
        using var client = ClientFor(Roles.Admin, seed);

        using var result = await client.PostGraphQLAsync("{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }");

        Assert.True(result.Status == HttpStatusCode.OK, result.ToString());
        var schema = result.Data.GetProperty("__schema");
        var live = new List<string>();
        foreach (var (root, type) in new[] { ("Query", "queryType"), ("Mutation", "mutationType"), ("Subscription", "subscriptionType") })
        {
            if (schema.GetProperty(type).ValueKind == JsonValueKind.Object)
                live.AddRange(schema.GetProperty(type).GetProperty("fields").EnumerateArray().Select(f => $"{root}.{f.GetProperty("name").GetString()}"));
        }
        var untested = live.Except(AllowedRoles.Keys).Order().ToList();
        var missing = AllowedRoles.Keys.Except(live).Order().ToList();
        Assert.True(untested.Count == 0, $"Root fields without a row in the authorization table (add them with their roles): {string.Join(", ", untested)}");
        Assert.True(missing.Count == 0, $"Root fields of the contract the schema does not have: {string.Join(", ", missing)}");
    }

    [DbFact]
    public void Every_root_field_of_the_schema_declares_who_may_call_it()
    {
        var schema = _app.Services.GetRequiredService<global::GraphQL.Types.ISchema>();

        Assert.Empty(AuthorizationAudit.FindUndeclaredRootFields(schema));
    }
}

public sealed class AuthorizationMatrixTestsOnSqlite(SqliteFixture fixture) : AuthorizationMatrixTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AuthorizationMatrixTestsOnPostgres(PostgresFixture fixture) : AuthorizationMatrixTests(fixture), IClassFixture<PostgresFixture>;
