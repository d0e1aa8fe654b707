using HeadlessLoyalty.Api.Stores.Shopify;
using System.Text.Json;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Tests.Stores.Fakes;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLClient;

namespace HeadlessLoyalty.Api.Tests.Stores;

/// <summary>
/// Connecting, pausing, resuming, disconnecting and configuring stores over GraphQL, on SQLite and PostgreSQL,
/// against the fake WooCommerce and Shopify servers (real HTTP on 127.0.0.1).
/// </summary>
public sealed class StoreConnectionTests
{
    [Theory, SqliteData, PostgresData]
    public async Task Connecting_woocommerce_verifies_the_key_stores_it_encrypted_and_registers_the_order_webhook(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var payload = await t.ConnectWooAsync();

        Assert.Empty(UserErrorsOf(payload));
        var connection = payload.GetProperty("connection");
        var id = connection.GetProperty("id").GetString()!;
        var raw = StoreTestApp.Raw(id);
        Assert.Equal(("WOOCOMMERCE", "ACTIVE", t.Woo.Url, false), (connection.GetProperty("platform").GetString(), connection.GetProperty("status").GetString(),
            connection.GetProperty("url").GetString(), payload.GetProperty("reconnected").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("webhookSecret").ValueKind); // registered automatically: no secret to show
        Assert.Equal(JsonValueKind.Null, connection.GetProperty("manualSetup").ValueKind);
        Assert.Equal($"http://127.0.0.1:9/webhooks/woocommerce/{raw:D}", connection.GetProperty("deliveryUrl").GetString());
        Assert.Equal("PROCESSING_OR_COMPLETED", connection.GetProperty("settings").GetProperty("awardOn").GetString());

        // The store: verified with a read of webhooks, then one order.updated webhook to our delivery URL with an alphanumeric secret.
        Assert.Contains(t.Woo.Requests, r => r.Method == "GET" && r.PathAndQuery == "/wp-json/wc/v3/webhooks?per_page=1" && r.Status == 200);
        var hook = Assert.Single(t.Woo.Webhooks.Values);
        Assert.Equal(("order.updated", connection.GetProperty("deliveryUrl").GetString()), (hook.Topic, hook.DeliveryUrl));
        Assert.Equal([hook.Id.ToString()], connection.GetProperty("webhookIds").EnumerateArray().Select(x => x.GetString()));
        Assert.Matches("^[A-Za-z0-9]{40}$", hook.Secret);

        // At rest: encrypted; the ingest's look-up decrypts the same secret the store signs with.
        var row = await t.RowAsync(raw);
        Assert.DoesNotContain(FakeWooCommerce.DefaultSecret, row.ProtectedCredentials);
        Assert.DoesNotContain(hook.Secret, row.ProtectedWebhookSecret);
        var target = await t.App.WithScopeAsync(sp => sp.GetRequiredService<StoreWebhookTargets>().FindAsync(raw, StorePlatform.WooCommerce));
        Assert.Equal(hook.Secret, target!.WebhookSecret);

        // The secret is never readable back: no field of the type carries it.
        var schema = await t.Admin.FieldAsync("{ __type(name: \"StoreConnection\") { fields { name } } }", "__type");
        Assert.DoesNotContain(schema.GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString()!.Contains("secret", StringComparison.OrdinalIgnoreCase));

        var audit = Assert.Single(await t.AuditAsync(id));
        Assert.Equal(StoreAuditActions.Connected, audit.Action);
        Assert.StartsWith("admin:", audit.Actor);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Bad_credentials_are_refused_with_a_typed_error_and_nothing_is_stored(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);

        var wrongSecret = await t.ConnectWooAsync(secret: "cs_wrong");
        var unknownKey = await t.ConnectWooAsync(key: "ck_unknown");
        var missing = await t.ConnectWooAsync(secret: "");
        var shopify = await t.ConnectShopifyAsync(token: "shpat_wrong");

        Assert.Equal(["STORE_CREDENTIALS_INVALID:credentials"], UserErrorsOf(wrongSecret));
        Assert.Contains("woocommerce_rest_authentication_error", wrongSecret.GetProperty("userErrors")[0].GetProperty("message").GetString());
        Assert.Equal(["STORE_CREDENTIALS_INVALID:credentials"], UserErrorsOf(unknownKey));
        Assert.Contains("woocommerce_rest_cannot_view", unknownKey.GetProperty("userErrors")[0].GetProperty("message").GetString());
        Assert.Equal(["STORE_CREDENTIALS_INVALID:credentials"], UserErrorsOf(missing));
        Assert.Equal(["STORE_CREDENTIALS_INVALID:credentials"], UserErrorsOf(shopify));
        Assert.Empty(t.Woo.Webhooks);
        Assert.Empty(t.Shopify.Subscriptions);
        Assert.Equal(0, (await t.Admin.FieldAsync("{ storeConnections { id } }", "storeConnections")).GetArrayLength());
        Assert.Empty(await t.AuditAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_key_that_cannot_create_webhooks_completes_in_manual_setup_with_the_delivery_url_and_secret(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        t.Shopify.CanWriteWebhooks = false;

        var woo = await t.ConnectWooAsync(FakeWooCommerce.ReadOnlyKey, FakeWooCommerce.ReadOnlySecret);
        var shop = await t.ConnectShopifyAsync();

        Assert.Empty(UserErrorsOf(woo));
        var connection = woo.GetProperty("connection");
        Assert.Equal("MANUAL_SETUP", connection.GetProperty("status").GetString());
        Assert.Contains(t.Woo.Requests, r => r.Method == "POST" && r.PathAndQuery == "/wp-json/wc/v3/webhooks" && r.Status == 401);
        Assert.Empty(t.Woo.Webhooks);
        Assert.Equal(0, connection.GetProperty("webhookIds").GetArrayLength());
        var manual = connection.GetProperty("manualSetup");
        Assert.Equal(connection.GetProperty("deliveryUrl").GetString(), manual.GetProperty("deliveryUrl").GetString());
        Assert.Equal(["order.updated"], manual.GetProperty("topics").EnumerateArray().Select(x => x.GetString()));
        var secret = woo.GetProperty("webhookSecret").GetString()!;
        Assert.Matches("^[A-Za-z0-9]{40}$", secret);
        var raw = StoreTestApp.Raw(connection.GetProperty("id").GetString()!);
        var target = await t.App.WithScopeAsync(sp => sp.GetRequiredService<StoreWebhookTargets>().FindAsync(raw, StorePlatform.WooCommerce));
        Assert.Equal(secret, target!.WebhookSecret);
        Assert.True(target.IsLive);

        Assert.Empty(UserErrorsOf(shop));
        Assert.Equal("MANUAL_SETUP", shop.GetProperty("connection").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, shop.GetProperty("webhookSecret").ValueKind); // Shopify signs with the app's client secret, known to the merchant
        Assert.Equal(ShopifyClient.WebhookTopics.Count, shop.GetProperty("connection").GetProperty("manualSetup").GetProperty("topics").GetArrayLength());
        Assert.Empty(t.Shopify.Subscriptions);

        // Shown once: the query never shows the secret again (no such field), and a reconnect keeps the same one.
        var again = await t.ConnectWooAsync(FakeWooCommerce.ReadOnlyKey, FakeWooCommerce.ReadOnlySecret);
        Assert.Equal(secret, again.GetProperty("webhookSecret").GetString());
        Assert.Equal(connection.GetProperty("id").GetString(), again.GetProperty("connection").GetProperty("id").GetString());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Store_urls_must_be_https(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);

        var plain = await t.ConnectWooAsync(url: "http://shop.example.com");
        var ftp = await t.ConnectWooAsync(url: "ftp://shop.example.com");
        var query = await t.ConnectWooAsync(url: "https://shop.example.com/?x=1");

        Assert.Equal(["STORE_URL_INVALID:url"], UserErrorsOf(plain));
        Assert.Equal(["STORE_URL_INVALID:url"], UserErrorsOf(ftp));
        Assert.Equal(["STORE_URL_INVALID:url"], UserErrorsOf(query));
        Assert.Empty(t.Woo.Requests); // refused before any call
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_store_url_on_an_internal_address_is_refused_at_connect_time(string provider)
    {
        // SSRF: an admin's store URL may not reach the host's network (loopback is allowed here only by the test switch).
        await using var t = await StoreTestApp.StartAsync(provider);

        var privateHost = await t.ConnectWooAsync(url: "https://10.1.2.3");
        var linkLocal = await t.ConnectShopifyAsync(url: "https://169.254.169.254");

        Assert.Equal(["STORE_UNREACHABLE:"], UserErrorsOf(privateHost));
        Assert.Contains("private address", privateHost.GetProperty("userErrors")[0].GetProperty("message").GetString());
        Assert.Equal(["STORE_UNREACHABLE:"], UserErrorsOf(linkLocal));
        Assert.Equal(0, (await t.Admin.FieldAsync("{ storeConnections { id } }", "storeConnections")).GetArrayLength());
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_failing_store_is_retried_then_the_circuit_opens_and_calls_fail_fast(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        t.Woo.FailNext(503, times: 1_000);

        var first = await t.ConnectWooAsync();   // 4 attempts (3 retries)
        var second = await t.ConnectWooAsync();  // 4 more
        var third = await t.ConnectWooAsync();   // 2 more reach the 10-call minimum at 100% failures: the circuit opens
        var seen = t.Woo.Requests.Count;
        var fourth = await t.ConnectWooAsync();  // fails fast: the store sees nothing

        Assert.Equal(["STORE_UNREACHABLE:"], UserErrorsOf(first));
        Assert.Contains("HTTP 503", first.GetProperty("userErrors")[0].GetProperty("message").GetString());
        Assert.Equal(4, t.Woo.Requests.Take(4).Count(r => r.Status == 503));
        Assert.Equal(["STORE_UNREACHABLE:"], UserErrorsOf(second));
        Assert.Equal(["STORE_UNREACHABLE:"], UserErrorsOf(third));
        Assert.Equal(10, seen);
        Assert.Equal(["STORE_UNREACHABLE:"], UserErrorsOf(fourth));
        Assert.Contains("BrokenCircuitException", fourth.GetProperty("userErrors")[0].GetProperty("message").GetString());
        Assert.Equal(seen, t.Woo.Requests.Count);
        Assert.Equal(0, (await t.Admin.FieldAsync("{ storeConnections { id } }", "storeConnections")).GetArrayLength());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Reconnecting_the_same_url_resumes_the_same_connection(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var first = await t.ConnectWooAsync();
        var id = first.GetProperty("connection").GetProperty("id").GetString()!;

        // Connecting again while live: the same connection, its webhook kept, none added.
        var again = await t.ConnectWooAsync(url: t.Woo.Url.ToUpperInvariant().Replace("HTTP://", "http://") + "/");
        Assert.Empty(UserErrorsOf(again));
        Assert.Equal(id, again.GetProperty("connection").GetProperty("id").GetString());
        Assert.True(again.GetProperty("reconnected").GetBoolean());
        Assert.Single(t.Woo.Webhooks);

        // After a disconnect: the same connection comes back with a new webhook and a new secret.
        var oldSecret = Assert.Single(t.Woo.Webhooks.Values).Secret;
        Assert.Empty(UserErrorsOf(await t.StoreMutationAsync("disconnectStore", id)));
        Assert.Empty(t.Woo.Webhooks);
        var back = await t.ConnectWooAsync(settings: new { awardOn = "COMPLETED_ONLY" });
        Assert.Empty(UserErrorsOf(back));
        var connection = back.GetProperty("connection");
        Assert.Equal((id, "ACTIVE", true, "COMPLETED_ONLY"), (connection.GetProperty("id").GetString(), connection.GetProperty("status").GetString(),
            connection.GetProperty("hasCredentials").GetBoolean(), connection.GetProperty("settings").GetProperty("awardOn").GetString()));
        Assert.Equal(JsonValueKind.Null, connection.GetProperty("disconnectedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, connection.GetProperty("resumedAt").ValueKind);
        Assert.NotEqual(oldSecret, Assert.Single(t.Woo.Webhooks.Values).Secret);
        Assert.Equal(1, (await t.Admin.FieldAsync("{ storeConnections { id } }", "storeConnections")).GetArrayLength());
        Assert.Equal([StoreAuditActions.Connected, StoreAuditActions.Reconnected, StoreAuditActions.Disconnected, StoreAuditActions.Reconnected],
            (await t.AuditAsync(id)).Select(a => a.Action));

        // The same URL as another platform is refused.
        var asShopify = await t.Admin.MutateInputAsync(StoreTestApp.Connect, "connectStore", new
        {
            platform = "SHOPIFY", url = t.Woo.Url, credentials = new { accessToken = "x", clientSecret = "y" },
        });
        Assert.Equal(["INVALID_INPUT:platform"], UserErrorsOf(asShopify));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Disconnect_deletes_the_webhook_with_force_and_the_keys_and_members_keep_their_points(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var shopId = (await t.ConnectShopifyAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        var hookId = Assert.Single(t.Woo.Webhooks.Keys);
        Assert.Equal(["CUSTOMERS_CREATE", "CUSTOMERS_UPDATE", "LOCATIONS_CREATE", "ORDERS_CREATE", "ORDERS_PAID", "ORDERS_UPDATED", "PRODUCTS_UPDATE", "REFUNDS_CREATE"],
            t.Shopify.Subscriptions.Values.Select(s => s.Topic).Order(StringComparer.Ordinal));
        var (member, _) = await t.MemberWithRewardAsync("keep@example.com", 1_234);

        t.Tick();
        var disconnected = await t.Admin.MutateInputAsync($$"""
            mutation($input: StoreConnectionIdInput!) { disconnectStore(input: $input) { connection { {{StoreTestApp.ConnectionFields}} } webhooksDeleted userErrors { code field } } }
            """, "disconnectStore", new { id });
        var shopDisconnected = await t.StoreMutationAsync("disconnectStore", shopId);

        Assert.Empty(UserErrorsOf(disconnected));
        Assert.True(disconnected.GetProperty("webhooksDeleted").GetBoolean());
        var c = disconnected.GetProperty("connection");
        Assert.Equal(("DISCONNECTED", false, 0), (c.GetProperty("status").GetString(), c.GetProperty("hasCredentials").GetBoolean(), c.GetProperty("webhookIds").GetArrayLength()));
        Assert.Empty(t.Woo.Webhooks);
        Assert.Contains(t.Woo.Requests, r => r.Method == "DELETE" && r.PathAndQuery == $"/wp-json/wc/v3/webhooks/{hookId}?force=true" && r.Status == 200);
        Assert.Empty(UserErrorsOf(shopDisconnected));
        Assert.Empty(t.Shopify.Subscriptions);
        var row = await t.RowAsync(StoreTestApp.Raw(id));
        Assert.Equal((null, null, ""), (row.ProtectedCredentials, row.ProtectedWebhookSecret, row.WebhookIds));
        var target = await t.App.WithScopeAsync(sp => sp.GetRequiredService<StoreWebhookTargets>().FindAsync(row.Id, StorePlatform.WooCommerce));
        Assert.Equal((StoreConnectionStatus.Disconnected, null), (target!.Status, target.WebhookSecret));
        Assert.Equal(1_234, await t.ApprovedAsync(member.Id));

        // Idempotent; and a disconnected connection cannot be paused, resumed or configured.
        var deletes = t.Woo.Requests.Count(r => r.Method == "DELETE");
        var twice = await t.StoreMutationAsync("disconnectStore", id);
        Assert.Empty(UserErrorsOf(twice));
        Assert.Equal(deletes, t.Woo.Requests.Count(r => r.Method == "DELETE"));
        Assert.Equal(["STORE_DISCONNECTED:"], UserErrorsOf(await t.StoreMutationAsync("pauseStore", id)));
        Assert.Equal(["STORE_DISCONNECTED:"], UserErrorsOf(await t.StoreMutationAsync("resumeStore", id)));
        Assert.Equal([StoreAuditActions.Connected, StoreAuditActions.Disconnected], (await t.AuditAsync(id)).Select(a => a.Action));
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_webhook_delete_without_force_is_refused_by_the_fake_as_by_woocommerce(string provider)
    {
        // The fake's quirk that disconnect relies on: without force=true WooCommerce answers 501 and keeps the webhook.
        await using var t = await StoreTestApp.StartAsync(provider);
        await t.ConnectWooAsync();
        var hookId = Assert.Single(t.Woo.Webhooks.Keys);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"{t.Woo.Url}/wp-json/wc/v3/webhooks/{hookId}");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{FakeWooCommerce.DefaultKey}:{FakeWooCommerce.DefaultSecret}")));
        using var response = await http.SendAsync(request);
        Assert.Equal(501, (int)response.StatusCode);
        Assert.Single(t.Woo.Webhooks);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Settings_changes_are_validated_and_audited_with_before_and_after(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        var id = (await t.ConnectWooAsync()).GetProperty("connection").GetProperty("id").GetString()!;
        const string Update = $$"""
            mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) { connection { {{StoreTestApp.ConnectionFields}} } userErrors { code field } } }
            """;

        t.Tick();
        var changed = await t.Admin.MutateInputAsync(Update, "updateStoreSettings", new { id, settings = new { awardOn = "COMPLETED_ONLY", pointValue = 0.1, maxRedeemPoints = 5000, couponPrefix = "vip" } });
        t.Tick();
        var same = await t.Admin.MutateInputAsync(Update, "updateStoreSettings", new { id, settings = new { awardOn = "COMPLETED_ONLY" } });
        var badDays = await t.Admin.MutateInputAsync(Update, "updateStoreSettings", new { id, settings = new { couponValidityDays = 91 } });
        var badMax = await t.Admin.MutateInputAsync(Update, "updateStoreSettings", new { id, settings = new { maxRedeemPoints = 10 } });
        var unknown = await t.Admin.MutateInputAsync(Update, "updateStoreSettings", new { id = HeadlessLoyalty.GraphQL.Relay.GlobalId.Encode("StoreConnection", Guid.NewGuid().ToString()), settings = new { awardOn = "COMPLETED_ONLY" } });

        Assert.Empty(UserErrorsOf(changed));
        var s = changed.GetProperty("connection").GetProperty("settings");
        Assert.Equal(("COMPLETED_ONLY", 0.1m, 1000L, 5000L, "VIP", 7), (s.GetProperty("awardOn").GetString(), s.GetProperty("pointValue").GetDecimal(),
            s.GetProperty("minRedeemPoints").GetInt64(), s.GetProperty("maxRedeemPoints").GetInt64(), s.GetProperty("couponPrefix").GetString(), s.GetProperty("couponValidityDays").GetInt32()));
        Assert.Empty(UserErrorsOf(same));
        Assert.Equal(["INVALID_INPUT:settings.couponValidityDays"], UserErrorsOf(badDays));
        Assert.Equal(["INVALID_INPUT:settings.maxRedeemPoints"], UserErrorsOf(badMax));
        Assert.Equal(["STORE_CONNECTION_NOT_FOUND:"], UserErrorsOf(unknown));
        var audit = await t.AuditAsync(id);
        Assert.Equal([StoreAuditActions.Connected, StoreAuditActions.SettingsUpdated], audit.Select(a => a.Action)); // "same" changed nothing: no line
        Assert.Equal("awardOn=ProcessingOrCompleted pointValue=0.05 minRedeemPoints=1000 maxRedeemPoints=none couponPrefix=POINTS couponValidityDays=7 -> "
            + "awardOn=CompletedOnly pointValue=0.1 minRedeemPoints=1000 maxRedeemPoints=5000 couponPrefix=VIP couponValidityDays=7", audit[1].Detail);
        var target = await t.App.WithScopeAsync(sp => sp.GetRequiredService<StoreWebhookTargets>().FindAsync(StoreTestApp.Raw(id), StorePlatform.WooCommerce));
        Assert.Equal(StoreAwardOn.CompletedOnly, target!.AwardOn);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_point_value_with_more_than_four_decimals_is_refused_on_connect_and_update(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        const string Update = """
            mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) { connection { settings { pointValue } } userErrors { code field } } }
            """;

        var refusedConnect = await t.ConnectWooAsync(settings: new { pointValue = 0.00005m });
        Assert.Equal(["INVALID_INPUT:settings.pointValue"], UserErrorsOf(refusedConnect));
        Assert.Empty(t.Woo.Webhooks);
        var id = (await t.ConnectWooAsync(settings: new { pointValue = 0.0125m })).GetProperty("connection").GetProperty("id").GetString()!;
        var refused = await t.Admin.MutateInputAsync(Update, "updateStoreSettings", new { id, settings = new { pointValue = 0.12345m } });
        var fine = await t.Admin.MutateInputAsync(Update, "updateStoreSettings", new { id, settings = new { pointValue = 0.1234m } });

        Assert.Equal(["INVALID_INPUT:settings.pointValue"], UserErrorsOf(refused));
        Assert.Empty(UserErrorsOf(fine));
        Assert.Equal(0.1234m, (await t.RowAsync(StoreTestApp.Raw(id))).PointValue);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Reconnecting_a_manual_setup_store_with_a_key_that_may_create_webhooks_registers_them(string provider)
    {
        await using var t = await StoreTestApp.StartAsync(provider);
        t.Shopify.CanWriteWebhooks = false;
        var manualWoo = await t.ConnectWooAsync(FakeWooCommerce.ReadOnlyKey, FakeWooCommerce.ReadOnlySecret);
        var manualShop = await t.ConnectShopifyAsync();
        Assert.Equal("MANUAL_SETUP", manualWoo.GetProperty("connection").GetProperty("status").GetString());
        Assert.Equal("MANUAL_SETUP", manualShop.GetProperty("connection").GetProperty("status").GetString());
        var secret = manualWoo.GetProperty("webhookSecret").GetString()!;

        t.Shopify.CanWriteWebhooks = true;
        var woo = await t.ConnectWooAsync(); // a read/write key now
        var shop = await t.ConnectShopifyAsync();

        Assert.Empty(UserErrorsOf(woo));
        Assert.Equal("ACTIVE", woo.GetProperty("connection").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, woo.GetProperty("webhookSecret").ValueKind);
        var hook = Assert.Single(t.Woo.Webhooks.Values);
        Assert.Equal(secret, hook.Secret); // the secret the merchant may have entered by hand stays valid
        Assert.Equal([hook.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], woo.GetProperty("connection").GetProperty("webhookIds").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(JsonValueKind.Null, woo.GetProperty("connection").GetProperty("manualSetup").ValueKind);
        var target = await t.App.WithScopeAsync(sp => sp.GetRequiredService<StoreWebhookTargets>().FindAsync(StoreTestApp.Raw(woo.GetProperty("connection").GetProperty("id").GetString()!), StorePlatform.WooCommerce));
        Assert.Equal(secret, target!.WebhookSecret);

        Assert.Empty(UserErrorsOf(shop));
        Assert.Equal("ACTIVE", shop.GetProperty("connection").GetProperty("status").GetString());
        Assert.Equal(ShopifyClient.WebhookTopics.Count, t.Shopify.Subscriptions.Count);
        Assert.Equal(ShopifyClient.WebhookTopics.Count, shop.GetProperty("connection").GetProperty("webhookIds").GetArrayLength());

        // Reconnecting again keeps the webhooks now registered (none created twice).
        var again = await t.ConnectWooAsync();
        Assert.Equal("ACTIVE", again.GetProperty("connection").GetProperty("status").GetString());
        Assert.Single(t.Woo.Webhooks);
    }
}
