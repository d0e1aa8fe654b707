using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.Api.Tests.TestSupport;
using HeadlessLoyalty.Api.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;
using TestDatabase = HeadlessLoyalty.Api.Tests.Infrastructure.TestDatabase;

namespace HeadlessLoyalty.Api.Tests.Webhooks;

/// <summary>
/// Webhook delivery end to end on SQLite and PostgreSQL: the app's dispatcher against a real receiver on 127.0.0.1
/// that verifies signatures and fails on purpose. The dispatcher's background service is off: each test runs
/// <see cref="WebhookDispatcher.RunDueAsync"/> itself and moves the fake clock through the retry schedule.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private const string SubscriptionFields = "id url types status disabledReason disabledAt consecutiveFailures cursor nextAttemptAt lastDeliveryAt lastStatusCode";

    private static DatabaseProvider Server(string name) => Enum.Parse<DatabaseProvider>(name, ignoreCase: true);

    private static Task<LoyaltyApiFactory> StartAsync(string provider, Dictionary<string, string?>? extra = null, TestDatabase? shared = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:AllowLoopback"] = "true",
            ["Webhooks:DispatcherEnabled"] = "false",
            ["Webhooks:QuickRetries"] = "0",
            ["Webhooks:AttemptTimeout"] = "00:00:01",
        };
        foreach (var (k, v) in extra ?? [])
            settings[k] = v;
        if (shared is not null)
        {
            var second = new LoyaltyApiFactory(shared, settings);
            _ = second.Server;
            return Task.FromResult(second);
        }
        return LoyaltyApiFactory.StartAsync(Server(provider), settings);
    }

    private sealed record Setup(string Slug, HttpClient Admin, string SubscriptionId, string Secret);

    private static async Task<Setup> SubscribeAsync(LoyaltyApiFactory app, WebhookReceiver receiver, params string[] types)
    {
        var slug = NewSlug("wh");
        await app.CreateProgramAsync(slug);
        // Valid for the whole test: the tests move the clock by days.
        var admin = app.CreateClient(app.MintToken(slug, Roles.Admin, lifetime: TimeSpan.FromDays(30)));
        var created = await admin.MutateInputAsync(
            $"mutation($input: CreateWebhookSubscriptionInput!) {{ createWebhookSubscription(input: $input) {{ subscription {{ {SubscriptionFields} }} secret userErrors {{ code field }} }} }}",
            "createWebhookSubscription", new { url = receiver.Url, types, description = "test receiver" });
        Assert.Empty(GraphQLClient.UserErrorsOf(created));
        var secret = created.GetProperty("secret").GetString()!;
        receiver.Secret = secret;
        receiver.Now = () => app.Clock.GetUtcNow();
        return new Setup(slug, admin, created.GetProperty("subscription").GetProperty("id").GetString()!, secret);
    }

    /// <summary>Enrolls members (one member.enrolled event each) and gives the events their positions.</summary>
    private static async Task<List<MemberView>> EnrollAsync(LoyaltyApiFactory app, string slug, int count)
    {
        var members = new List<MemberView>();
        for (var i = 0; i < count; i++)
            members.Add(await app.EnrollAsync(slug, $"{slug}-{Guid.NewGuid():N}@example.com", $"Name{i}"));
        await app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        return members;
    }

    private static Task<int> DispatchAsync(LoyaltyApiFactory app, CancellationToken ct = default) =>
        app.Services.GetRequiredService<WebhookDispatcher>().RunDueAsync(ct);

    private static async Task<JsonElement> SubscriptionAsync(Setup s)
    {
        var list = await s.Admin.FieldAsync($"{{ webhookSubscriptions {{ {SubscriptionFields} }} }}", "webhookSubscriptions");
        return Assert.Single(list.EnumerateArray(), x => x.GetProperty("id").GetString() == s.SubscriptionId);
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(Setup s)
    {
        var page = await s.Admin.FieldAsync(
            "query($id: ID!) { webhookDeliveries(subscriptionId: $id, first: 100) { totalCount nodes { id eventId eventPosition eventType attempt succeeded statusCode durationMs error manual attemptedAt } } }",
            "webhookDeliveries", new { id = s.SubscriptionId });
        return [.. page.GetProperty("nodes").EnumerateArray().Reverse()]; // oldest first
    }

    private static async Task<List<DomainEvent>> EventsAsync(LoyaltyApiFactory app, string slug, string type) =>
        await app.WithTenantAsync(slug, db => db.DomainEvents.AsNoTracking().Where(e => e.Type == type).OrderBy(e => e.Position).ToListAsync());

    [Theory, SqliteData, PostgresData]
    public async Task Deliveries_are_signed_in_order_carry_the_event_and_only_the_subscribed_types(string provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SubscribeAsync(app, receiver, EventTypes.MemberEnrolled);
        var members = await EnrollAsync(app, s.Slug, 3);
        await app.WithTenantAsync(s.Slug, db => MemberOperations.BlockAsync(db, app.Clock, "test", members[0].Id)); // member.blocked: not subscribed
        await app.Services.GetRequiredService<EventSequencer>().SequenceAsync();

        Assert.Equal(3, await DispatchAsync(app));

        var events = await EventsAsync(app, s.Slug, EventTypes.MemberEnrolled);
        var got = receiver.Received.ToList();
        Assert.Equal(events.Select(e => e.Id.ToString()), got.Select(r => r.EventId));
        Assert.All(got, r => Assert.True(r.SignatureValid, $"signature of {r.EventId}"));
        Assert.All(got, r => Assert.Equal(EventTypes.MemberEnrolled, r.EventType));
        Assert.All(got, r => Assert.Equal("1", r.Attempt));
        var body = got[1].Json;
        Assert.Equal(events[1].Id.ToString(), body.GetProperty("id").GetString());
        Assert.Equal(events[1].Position, body.GetProperty("position").GetInt64());
        Assert.Equal("member.enrolled", body.GetProperty("type").GetString());
        Assert.Equal(MemberId(members[1].Id), body.GetProperty("member").GetProperty("id").GetString());
        Assert.Equal(members[1].Email, body.GetProperty("member").GetProperty("email").GetString());
        Assert.Equal("Name1", body.GetProperty("payload").GetProperty("firstName").GetString());
        Assert.True(body.TryGetProperty("occurredAt", out _));

        var sub = await SubscriptionAsync(s);
        Assert.Equal("ACTIVE", sub.GetProperty("status").GetString());
        Assert.Equal(events[^1].Position, sub.GetProperty("cursor").GetInt64());
        Assert.Equal(200, sub.GetProperty("lastStatusCode").GetInt32());
        var log = await DeliveriesAsync(s);
        Assert.Equal(events.Select(e => e.Id.ToString()), log.Select(d => d.GetProperty("eventId").GetString()));
        Assert.All(log, d => Assert.True(d.GetProperty("succeeded").GetBoolean()));
        Assert.Equal(got.Select(r => r.DeliveryId), log.Select(d => Guid.Parse(HeadlessLoyalty.GraphQL.Relay.GlobalId.TryDecode(d.GetProperty("id").GetString(), out _, out var raw) ? raw : "").ToString()));

        // Nothing new: nothing sent again.
        Assert.Equal(0, await DispatchAsync(app));
        Assert.Equal(3, receiver.Received.Count);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_secret_is_shown_once_and_stored_encrypted(string provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SubscribeAsync(app, receiver);

        using var asked = await s.Admin.PostGraphQLAsync("{ webhookSubscriptions { id secret } }");
        Assert.Contains("secret", asked.Text); // the validation error names the field...
        Assert.True(asked.HasErrors, asked.ToString()); // ...that does not exist
        var stored = await app.WithTenantAsync(s.Slug, db => db.WebhookSubscriptions.AsNoTracking().Select(x => x.ProtectedSecret).SingleAsync());
        Assert.DoesNotContain(s.Secret, stored);
        Assert.DoesNotContain(s.Secret[6..], stored);

        // Rotation: a new secret, once; deliveries are signed with it.
        var rotated = await s.Admin.MutateInputAsync("mutation($input: WebhookSubscriptionIdInput!) { rotateWebhookSecret(input: $input) { secret userErrors { code } } }",
            "rotateWebhookSecret", new { id = s.SubscriptionId });
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(s.Secret, newSecret);
        await EnrollAsync(app, s.Slug, 1);
        await DispatchAsync(app);
        Assert.False(Assert.Single(receiver.Received).SignatureValid); // the receiver still holds the old secret
        receiver.Secret = newSecret;
        await s.Admin.MutateInputAsync("mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { delivery { id } userErrors { code } } }",
            "redeliverWebhook", new { subscriptionId = s.SubscriptionId, eventId = receiver.Received.Single().EventId });
        Assert.True(receiver.Received.Last().SignatureValid);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_failing_event_is_retried_on_the_schedule_and_holds_the_later_events(string provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Script = hit => new WebhookReceiver.Reply(hit <= 3 ? 500 : 200);
        var s = await SubscribeAsync(app, receiver);
        await EnrollAsync(app, s.Slug, 2);
        var events = await EventsAsync(app, s.Slug, EventTypes.MemberEnrolled);
        var start = app.Clock.GetUtcNow();

        Assert.Equal(1, await DispatchAsync(app)); // attempt 1: 500, the second event waits behind it
        var sub = await SubscriptionAsync(s);
        Assert.Equal(1, sub.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(500, sub.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal((start + TimeSpan.FromMinutes(1)).UtcDateTime, sub.GetProperty("nextAttemptAt").GetDateTime().ToUniversalTime());

        app.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await DispatchAsync(app)); // not due yet
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await DispatchAsync(app)); // attempt 2 at +1 min: 500
        app.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await DispatchAsync(app));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await DispatchAsync(app)); // attempt 3 at +6 min: 500
        sub = await SubscriptionAsync(s);
        Assert.Equal(3, sub.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal((app.Clock.GetUtcNow() + TimeSpan.FromMinutes(30)).UtcDateTime, sub.GetProperty("nextAttemptAt").GetDateTime().ToUniversalTime());
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(2, await DispatchAsync(app)); // attempt 4: 200, then the held event

        Assert.Equal([events[0].Id, events[0].Id, events[0].Id, events[0].Id, events[1].Id], receiver.Received.Select(r => Guid.Parse(r.EventId!)));
        Assert.Equal(["1", "2", "3", "4", "1"], receiver.Received.Select(r => r.Attempt));
        var log = await DeliveriesAsync(s);
        Assert.Equal([1, 2, 3, 4, 1], log.Select(d => d.GetProperty("attempt").GetInt32()));
        Assert.Equal([500, 500, 500, 200, 200], log.Select(d => d.GetProperty("statusCode").GetInt32()));
        Assert.Equal([false, false, false, true, true], log.Select(d => d.GetProperty("succeeded").GetBoolean()));
        Assert.Contains("500", log[0].GetProperty("error").GetString());
        Assert.Equal(start.UtcDateTime, log[0].GetProperty("attemptedAt").GetDateTime().ToUniversalTime());
        Assert.Equal((start + TimeSpan.FromMinutes(36)).UtcDateTime, log[3].GetProperty("attemptedAt").GetDateTime().ToUniversalTime());
        sub = await SubscriptionAsync(s);
        Assert.Equal(0, sub.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(JsonValueKind.Null, sub.GetProperty("nextAttemptAt").ValueKind);
        Assert.Equal(events[1].Position, sub.GetProperty("cursor").GetInt64());
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_429_with_a_long_retry_after_and_a_timeout_are_failures_retried_no_sooner_than_asked(string provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Script = hit => hit switch
        {
            1 => new WebhookReceiver.Reply(429, RetryAfter: "600"),
            2 => new WebhookReceiver.Reply(200, Delay: TimeSpan.FromSeconds(3)), // longer than the 1 s attempt timeout
            _ => new WebhookReceiver.Reply(204),
        };
        var s = await SubscribeAsync(app, receiver);
        await EnrollAsync(app, s.Slug, 1);
        var start = app.Clock.GetUtcNow();

        await DispatchAsync(app);
        var sub = await SubscriptionAsync(s);
        Assert.Equal((start + TimeSpan.FromMinutes(10)).UtcDateTime, sub.GetProperty("nextAttemptAt").GetDateTime().ToUniversalTime()); // not the schedule's 1 min
        app.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, await DispatchAsync(app));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await DispatchAsync(app)); // times out
        sub = await SubscriptionAsync(s);
        Assert.Equal(2, sub.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal((app.Clock.GetUtcNow() + TimeSpan.FromMinutes(5)).UtcDateTime, sub.GetProperty("nextAttemptAt").GetDateTime().ToUniversalTime());
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await DispatchAsync(app));

        var log = await DeliveriesAsync(s);
        Assert.Equal(429, log[0].GetProperty("statusCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, log[1].GetProperty("statusCode").ValueKind);
        Assert.StartsWith("timeout", log[1].GetProperty("error").GetString());
        Assert.True(log[1].GetProperty("durationMs").GetInt32() >= 900, log[1].ToString());
        Assert.Equal(204, log[2].GetProperty("statusCode").GetInt32());
        Assert.True(log[2].GetProperty("succeeded").GetBoolean());
    }

    [Theory, SqliteData, PostgresData]
    public async Task After_seven_failures_in_a_row_the_subscription_is_disabled_with_an_event_and_enabling_resumes_where_it_stopped(string provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync();
        var failing = true;
        receiver.Script = _ => new WebhookReceiver.Reply(failing ? 503 : 200);
        var s = await SubscribeAsync(app, receiver, EventTypes.MemberEnrolled);
        await EnrollAsync(app, s.Slug, 2);
        var events = await EventsAsync(app, s.Slug, EventTypes.MemberEnrolled);

        for (var attempt = 1; attempt <= 7; attempt++)
        {
            Assert.Equal(1, await DispatchAsync(app));
            var now = await SubscriptionAsync(s);
            Assert.Equal(attempt < 7 ? "ACTIVE" : "DISABLED", now.GetProperty("status").GetString());
            app.Clock.Advance(TimeSpan.FromHours(15));
        }
        var sub = await SubscriptionAsync(s);
        Assert.Equal(7, sub.GetProperty("consecutiveFailures").GetInt32());
        Assert.Contains("7 failed attempts in a row", sub.GetProperty("disabledReason").GetString());
        Assert.Contains("503", sub.GetProperty("disabledReason").GetString());
        Assert.NotEqual(JsonValueKind.Null, sub.GetProperty("disabledAt").ValueKind);
        var disabled = Assert.Single(await EventsAsync(app, s.Slug, EventTypes.WebhookDisabled));
        var payload = DomainEvents.Read<WebhookDisabledPayload>(disabled);
        Assert.Equal(receiver.Url, payload.Url);
        Assert.Equal(7, payload.ConsecutiveFailures);
        Assert.Null(disabled.MemberId);

        // Disabled: nothing is attempted, however long we wait.
        app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await DispatchAsync(app));
        Assert.Equal(7, receiver.Received.Count);

        failing = false;
        var enabled = await s.Admin.MutateInputAsync($"mutation($input: WebhookSubscriptionIdInput!) {{ enableWebhookSubscription(input: $input) {{ subscription {{ {SubscriptionFields} }} userErrors {{ code }} }} }}",
            "enableWebhookSubscription", new { id = s.SubscriptionId });
        Assert.Equal("ACTIVE", enabled.GetProperty("subscription").GetProperty("status").GetString());
        Assert.Equal(0, enabled.GetProperty("subscription").GetProperty("consecutiveFailures").GetInt32());
        await app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        Assert.Equal(2, await DispatchAsync(app)); // the event it stopped on, then the next; webhook.disabled is not subscribed

        Assert.Equal([.. Enumerable.Repeat(events[0].Id, 8), events[1].Id], receiver.Received.Select(r => Guid.Parse(r.EventId!)));
        Assert.Equal(events[1].Position, (await SubscriptionAsync(s)).GetProperty("cursor").GetInt64());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Redelivery_sends_an_event_again_logs_it_and_leaves_the_cursor(string provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SubscribeAsync(app, receiver);
        await EnrollAsync(app, s.Slug, 2);
        await DispatchAsync(app);
        var first = (await DeliveriesAsync(s))[0];
        var cursor = (await SubscriptionAsync(s)).GetProperty("cursor").GetInt64();
        const string Redeliver = "mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { delivery { id eventId attempt succeeded statusCode manual } userErrors { code field } } }";

        var byDelivery = await s.Admin.MutateInputAsync(Redeliver, "redeliverWebhook", new { deliveryId = first.GetProperty("id").GetString() });
        var byEvent = await s.Admin.MutateInputAsync(Redeliver, "redeliverWebhook", new { subscriptionId = s.SubscriptionId, eventId = first.GetProperty("eventId").GetString() });

        foreach (var (payload, attempt) in new[] { (byDelivery, 2), (byEvent, 3) })
        {
            var d = payload.GetProperty("delivery");
            Assert.Equal(first.GetProperty("eventId").GetString(), d.GetProperty("eventId").GetString());
            Assert.Equal(attempt, d.GetProperty("attempt").GetInt32());
            Assert.True(d.GetProperty("manual").GetBoolean());
            Assert.True(d.GetProperty("succeeded").GetBoolean());
        }
        var sent = receiver.Received.ToList();
        Assert.Equal(4, sent.Count);
        Assert.Equal(sent[0].EventId, sent[2].EventId);
        Assert.Equal(sent[0].EventId, sent[3].EventId);
        Assert.Equal(sent[0].Json.GetProperty("payload").ToString(), sent[3].Json.GetProperty("payload").ToString());
        Assert.All(sent, r => Assert.True(r.SignatureValid));
        Assert.Equal(4, (await DeliveriesAsync(s)).Count);
        Assert.Equal(cursor, (await SubscriptionAsync(s)).GetProperty("cursor").GetInt64());

        var unknownEvent = await s.Admin.MutateInputAsync(Redeliver, "redeliverWebhook", new { subscriptionId = s.SubscriptionId, eventId = Guid.NewGuid().ToString() });
        Assert.Equal(["WEBHOOK_EVENT_NOT_FOUND:eventId"], GraphQLClient.UserErrorsOf(unknownEvent));
        var unknownDelivery = await s.Admin.MutateInputAsync(Redeliver, "redeliverWebhook", new { deliveryId = HeadlessLoyalty.GraphQL.Relay.GlobalId.Encode("WebhookDelivery", Guid.NewGuid().ToString()) });
        Assert.Equal(["WEBHOOK_DELIVERY_NOT_FOUND:deliveryId"], GraphQLClient.UserErrorsOf(unknownDelivery));
        Assert.Equal(4, receiver.Received.Count);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_crash_after_the_receiver_got_an_event_redelivers_it_after_a_restart_and_loses_nothing(string provider)
    {
        await using var first = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync();
        using var crash = new CancellationTokenSource();
        // The receiver takes the first event, then the sender "dies" before it records the answer.
        receiver.Script = hit => hit == 1 ? new WebhookReceiver.Reply(200, Delay: TimeSpan.FromMilliseconds(300), OnReceive: crash.Cancel) : new WebhookReceiver.Reply(200);
        var s = await SubscribeAsync(first, receiver);
        await EnrollAsync(first, s.Slug, 3);
        var events = await EventsAsync(first, s.Slug, EventTypes.MemberEnrolled);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DispatchAsync(first, crash.Token));
        Assert.Single(receiver.Received);

        // A new instance over the same database (no in-memory state): the crashed lease runs out, then everything goes.
        await using var second = await StartAsync(provider, shared: first.Database.Shared());
        receiver.Now = () => second.Clock.GetUtcNow();
        Assert.Equal(0, await DispatchAsync(second)); // the lease of the crashed pass still holds
        second.Clock.Advance(WebhookDispatcher.Lease);
        Assert.Equal(3, await DispatchAsync(second));

        var ids = receiver.Received.Select(r => Guid.Parse(r.EventId!)).ToList();
        Assert.Equal([events[0].Id, events[0].Id, events[1].Id, events[2].Id], ids); // at least once: the first one twice
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid)); // the secret survived the restart (Data Protection keys in the database)
        var cursor = await second.WithTenantAsync(s.Slug, db => db.WebhookSubscriptions.AsNoTracking().Select(x => x.Cursor).SingleAsync());
        Assert.Equal(events[2].Position, cursor);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Without_the_development_option_internal_targets_are_refused_on_save_and_at_connect_time(string provider)
    {
        await using var app = await StartAsync(provider, new() { ["Webhooks:AllowLoopback"] = "false" });
        await using var receiver = await WebhookReceiver.StartAsync();
        var slug = NewSlug("ssrf");
        await app.CreateProgramAsync(slug);
        using // Valid for the whole test: the tests move the clock by days.
        var admin = app.CreateClient(app.MintToken(slug, Roles.Admin, lifetime: TimeSpan.FromDays(30)));
        const string Create = "mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { subscription { id } secret userErrors { code field } } }";

        foreach (var (url, code) in new[]
                 {
                     (receiver.Url, "WEBHOOK_URL_FORBIDDEN"), ($"http://localhost:{receiver.Port}/hook", "WEBHOOK_URL_FORBIDDEN"),
                     ("http://169.254.169.254/latest/meta-data", "WEBHOOK_URL_FORBIDDEN"), ("http://10.1.2.3/hook", "WEBHOOK_URL_FORBIDDEN"),
                     ("ftp://example.com/hook", "WEBHOOK_URL_INVALID"), ("not a url", "WEBHOOK_URL_INVALID"),
                 })
        {
            var payload = await admin.MutateInputAsync(Create, "createWebhookSubscription", new { url });
            Assert.Equal([$"{code}:url"], GraphQLClient.UserErrorsOf(payload));
            Assert.Equal(JsonValueKind.Null, payload.GetProperty("secret").ValueKind);
        }
        Assert.Equal(0, await app.WithTenantAsync(slug, db => db.WebhookSubscriptions.CountAsync()));

        // A name that resolves to loopback (saved before it did, as with DNS rebinding): refused at connect time.
        var secrets = app.Services.GetRequiredService<WebhookSecrets>();
        await app.WithTenantAsync(slug, async db =>
        {
            db.WebhookSubscriptions.Add(new WebhookSubscription
            {
                Id = Guid.NewGuid(), Url = $"http://localhost:{receiver.Port}/hook", Types = "", ProtectedSecret = secrets.Protect("whsec_x"),
                Status = WebhookStatus.Active, Cursor = await EventLog.HeadAsync(db), CreatedAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });
        await EnrollAsync(app, slug, 1);

        Assert.Equal(1, await DispatchAsync(app));

        Assert.Empty(receiver.Received);
        var delivery = await app.WithTenantAsync(slug, db => db.WebhookDeliveries.AsNoTracking().SingleAsync());
        Assert.False(delivery.Succeeded);
        Assert.Null(delivery.StatusCode);
        Assert.StartsWith("forbidden address", delivery.Error);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Subscriptions_are_updated_validated_and_deleted_with_their_log(string provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SubscribeAsync(app, receiver);
        await EnrollAsync(app, s.Slug, 1);
        await DispatchAsync(app);
        const string Update = "mutation($input: UpdateWebhookSubscriptionInput!) { updateWebhookSubscription(input: $input) { subscription { url types description } userErrors { code field } } }";

        var updated = await s.Admin.MutateInputAsync(Update, "updateWebhookSubscription", new { id = s.SubscriptionId, types = new[] { "points.earned", "member.enrolled" }, description = "" });
        Assert.Equal(["member.enrolled", "points.earned"], updated.GetProperty("subscription").GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("subscription").GetProperty("description").ValueKind);
        Assert.Equal(receiver.Url, updated.GetProperty("subscription").GetProperty("url").GetString());
        var badType = await s.Admin.MutateInputAsync(Update, "updateWebhookSubscription", new { id = s.SubscriptionId, types = new[] { "points.stolen" } });
        Assert.Equal(["INVALID_INPUT:types"], GraphQLClient.UserErrorsOf(badType));
        var badUrl = await s.Admin.MutateInputAsync(Update, "updateWebhookSubscription", new { id = s.SubscriptionId, url = "javascript:alert(1)" });
        Assert.Equal(["WEBHOOK_URL_INVALID:url"], GraphQLClient.UserErrorsOf(badUrl));

        const string Delete = "mutation($input: WebhookSubscriptionIdInput!) { deleteWebhookSubscription(input: $input) { deletedSubscriptionId userErrors { code field } } }";
        var deleted = await s.Admin.MutateInputAsync(Delete, "deleteWebhookSubscription", new { id = s.SubscriptionId });
        Assert.Equal(s.SubscriptionId, deleted.GetProperty("deletedSubscriptionId").GetString());
        Assert.Equal(0, await app.WithTenantAsync(s.Slug, db => db.WebhookDeliveries.CountAsync()));
        var again = await s.Admin.MutateInputAsync(Delete, "deleteWebhookSubscription", new { id = s.SubscriptionId });
        Assert.Equal(["WEBHOOK_SUBSCRIPTION_NOT_FOUND:id"], GraphQLClient.UserErrorsOf(again));
        var log = await s.Admin.FieldAsync("query($id: ID!) { webhookDeliveries(subscriptionId: $id) { totalCount } }", "webhookDeliveries", new { id = s.SubscriptionId });
        Assert.Equal(JsonValueKind.Null, log.ValueKind);

        await EnrollAsync(app, s.Slug, 1);
        Assert.Equal(0, await DispatchAsync(app));
        Assert.Single(receiver.Received);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_background_dispatcher_delivers_a_new_event_without_being_asked(string provider)
    {
        await using var app = await StartAsync(provider, new() { ["Webhooks:DispatcherEnabled"] = "true" });
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await SubscribeAsync(app, receiver);

        var member = await app.EnrollAsync(s.Slug, $"{s.Slug}@example.com");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (receiver.Received.IsEmpty && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        var got = Assert.Single(receiver.Received);
        Assert.True(got.SignatureValid);
        Assert.Equal(MemberId(member.Id), got.Json.GetProperty("member").GetProperty("id").GetString());
    }
}
