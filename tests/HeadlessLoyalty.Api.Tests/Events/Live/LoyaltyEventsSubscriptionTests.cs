using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;
using static HeadlessLoyalty.Api.Tests.Events.Live.GraphQLWsTestClient;

namespace HeadlessLoyalty.Api.Tests.Events.Live;

/// <summary>
/// <c>loyaltyEvents</c> over graphql-transport-ws and graphql-sse on the app: replay from a cursor then live with no gap
/// and no duplicate (also under concurrent writers), filters, the storefront's scope, typed refusals.
/// </summary>
public abstract class LoyaltyEventsSubscriptionTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private sealed record Seeded(string Slug, Guid Ann, Guid Bob);

    /// <summary>Ann enrolls and earns 40; Bob enrolls and earns 5. Positioned before returning.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var slug = NewSlug("live");
        await _app.CreateProgramAsync(slug);
        var ann = await _app.EnrollAsync(slug, "ann@example.com", "Ann");
        await _app.PostAsync(slug, new PostPointsInput(ann.Id, LedgerEntryKind.Earn, 40, SourceReference: "order-1"));
        var bob = await _app.EnrollAsync(slug, "bob@example.com", "Bob");
        await _app.PostAsync(slug, new PostPointsInput(bob.Id, LedgerEntryKind.Earn, 5, SourceReference: "order-2"));
        await _app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        return new Seeded(slug, ann.Id, bob.Id);
    }

    private Task<List<long>> PositionsAsync(string slug, Guid? member = null) =>
        _app.WithTenantAsync(slug, db => db.DomainEvents.Where(e => e.Position != null && (member == null || e.MemberId == member))
            .OrderBy(e => e.Position).Select(e => e.Position!.Value).ToListAsync());

    private Task<GraphQLWsTestClient> ConnectAsync(string token) => _app.ConnectAsync(token);

    private Task WaitForLiveAsync(int before) => _app.WaitForLiveAsync(before);

    private int Registrations => _app.LiveRegistrations();

    [DbFact]
    public async Task It_replays_from_the_cursor_then_goes_live_with_no_gap_and_no_duplicate()
    {
        var p = await SeedAsync();
        using var client = await ConnectAsync(_app.MintToken(p.Slug, Roles.Partner));
        var before = Registrations;

        await client.SubscribeAsync("1", new { after = "0" });
        var replayed = await client.NextEventsAsync(4);
        await WaitForLiveAsync(before);
        await _app.PostAsync(p.Slug, new PostPointsInput(p.Ann, LedgerEntryKind.Earn, 7, SourceReference: "order-3"));
        var live = await client.NextEventAsync();

        Assert.Equal(["MemberEnrolledEvent", "PointsEarnedEvent", "MemberEnrolledEvent", "PointsEarnedEvent"],
            replayed.Select(e => e["__typename"]!.GetValue<string>()));
        Assert.Equal("points.earned", live["type"]!.GetValue<string>());
        Assert.Equal((7, 47), (live["points"]!.GetValue<int>(), live["balanceAfter"]!.GetValue<int>()));
        Assert.Equal("ann@example.com", live["member"]!["email"]!.GetValue<string>());
        Assert.Equal(await PositionsAsync(p.Slug), replayed.Append(live).Select(Position).ToList());
    }

    [DbFact]
    public async Task Without_a_cursor_it_sends_only_what_happens_next_and_resuming_from_a_position_skips_nothing()
    {
        var p = await SeedAsync();
        var token = _app.MintToken(p.Slug, Roles.Service);
        long last;
        using (var client = await ConnectAsync(token))
        {
            var before = Registrations;
            await client.SubscribeAsync("live", new { });
            await WaitForLiveAsync(before);
            await _app.PostAsync(p.Slug, new PostPointsInput(p.Bob, LedgerEntryKind.Earn, 3));
            var first = await client.NextEventAsync();
            Assert.Equal(("points.earned", 3), (first["type"]!.GetValue<string>(), first["points"]!.GetValue<int>()));
            last = Position(first);
        }
        // Disconnected: two more happen; a resumed subscription gets exactly those.
        await _app.PostAsync(p.Slug, new PostPointsInput(p.Bob, LedgerEntryKind.Earn, 4));
        await _app.PostAsync(p.Slug, new PostPointsInput(p.Ann, LedgerEntryKind.Earn, 6));
        await _app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        using var resumed = await ConnectAsync(token);
        await resumed.SubscribeAsync("again", new { after = last.ToString() });
        var missed = await resumed.NextEventsAsync(2);

        Assert.Equal([4, 6], missed.Select(e => e["points"]!.GetValue<int>()));
        Assert.Equal((await PositionsAsync(p.Slug)).Where(x => x > last), missed.Select(Position));
    }

    [DbFact]
    public async Task Types_and_member_filter_the_stream()
    {
        var p = await SeedAsync();
        using var client = await ConnectAsync(_app.MintToken(p.Slug, Roles.Admin));
        var before = Registrations;

        await client.SubscribeAsync("1", new { after = "0", types = new[] { "points.earned" }, memberId = GlobalId.Encode("Member", p.Ann.ToString()) });
        var replayed = await client.NextEventAsync();
        await WaitForLiveAsync(before);
        await _app.EnrollAsync(p.Slug, "cy@example.com");                                          // another type
        await _app.PostAsync(p.Slug, new PostPointsInput(p.Bob, LedgerEntryKind.Earn, 1));         // another member
        await _app.PostAsync(p.Slug, new PostPointsInput(p.Ann, LedgerEntryKind.Earn, 2));         // this one
        var live = await client.NextEventAsync();

        Assert.Equal([40, 2], new[] { replayed, live }.Select(e => e["points"]!.GetValue<int>()));
    }

    [DbFact]
    public async Task A_storefront_token_follows_only_its_own_member()
    {
        var p = await SeedAsync();
        var token = _app.MintToken(p.Slug, Roles.Storefront, p.Bob);
        using var client = await ConnectAsync(token);
        var before = Registrations;

        await client.SubscribeAsync("mine", new { after = "0" });
        var replayed = await client.NextEventsAsync(2);
        await WaitForLiveAsync(before);
        await _app.PostAsync(p.Slug, new PostPointsInput(p.Ann, LedgerEntryKind.Earn, 9));
        await _app.PostAsync(p.Slug, new PostPointsInput(p.Bob, LedgerEntryKind.Earn, 8));
        var live = await client.NextEventAsync();
        await client.SubscribeAsync("theirs", new { after = "0", memberId = GlobalId.Encode("Member", p.Ann.ToString()) });
        var refused = await client.RefusalCodeAsync("theirs");

        Assert.All(replayed.Append(live), e => Assert.Equal("bob@example.com", e["member"]!["email"]!.GetValue<string>()));
        Assert.Equal(8, live["points"]!.GetValue<int>());
        Assert.Equal("FORBIDDEN", refused);
    }

    public static TheoryData<string, object, string> Refusals => new()
    {
        { Roles.Partner, new { types = new[] { "points.nope" } }, "INVALID_INPUT" },
        { Roles.Partner, new { after = "not-a-number" }, "INVALID_CURSOR" },
        { Roles.Partner, new { memberId = "bm9wZQ==" }, "INVALID_ID" },
        { Roles.Pos, new { }, "FORBIDDEN" },
    };

    [DbTheory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_arguments_and_roles_are_refused_with_a_typed_error(string role, object variables, string code)
    {
        var p = await SeedAsync();
        using var client = await ConnectAsync(_app.MintToken(p.Slug, role));

        await client.SubscribeAsync("1", variables);
        Assert.Equal(code, await client.RefusalCodeAsync("1"));
    }

    [DbFact]
    public async Task A_cursor_older_than_retention_is_refused_with_EVENTS_CURSOR_EXPIRED()
    {
        var p = await SeedAsync();
        var positions = await PositionsAsync(p.Slug);
        var program = await _app.WithTenantAsync(p.Slug, db => Task.FromResult(db.Tenant.ProgramId!.Value));
        await _app.WithTenantAsync(p.Slug, async db =>
        {
            db.EventRetentionMarks.Add(new EventRetentionMark { ProgramId = program, DeletedThrough = positions[1], UpdatedAt = _app.Clock.GetUtcNow() });
            db.DomainEvents.RemoveRange(await db.DomainEvents.Where(e => e.Position <= positions[1]).ToListAsync());
            await db.SaveChangesAsync();
        });
        using var client = await ConnectAsync(_app.MintToken(p.Slug, Roles.Partner));

        await client.SubscribeAsync("old", new { after = positions[0].ToString() });
        var error = await client.RefusalCodeAsync("old");
        await client.SubscribeAsync("kept", new { after = positions[1].ToString() });
        var rest = await client.NextEventsAsync(2);

        Assert.Equal("EVENTS_CURSOR_EXPIRED", error);
        Assert.Equal(positions[2..], rest.Select(Position));
    }

    [DbFact]
    public async Task Under_concurrent_writers_the_subscriber_gets_every_event_once_in_position_order()
    {
        var p = await SeedAsync();
        using var client = await ConnectAsync(_app.MintToken(p.Slug, Roles.Partner));
        var before = Registrations;
        await client.SubscribeAsync("1", new { after = "0" });
        var received = await client.NextEventsAsync(4);
        await WaitForLiveAsync(before);

        // Four writers on both members, committing concurrently while the subscription is live.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
                await _app.PostAsync(p.Slug, new PostPointsInput(w % 2 == 0 ? p.Ann : p.Bob, LedgerEntryKind.Earn, 1, SourceReference: $"w{w}-{i}"));
        })).ToList();
        await Task.WhenAll(writers);
        received.AddRange(await client.NextEventsAsync(60));

        Assert.Equal(await PositionsAsync(p.Slug), received.Select(Position).ToList());
    }

    [DbFact]
    public async Task Over_sse_the_subscription_replays_and_goes_live()
    {
        var p = await SeedAsync();
        using var http = _app.CreateClient(_app.MintToken(p.Slug, Roles.Partner));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query = LoyaltyEvents, variables = new { after = "0" } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var before = Registrations;

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<JsonNode>();
        async Task ReadAsync(int count)
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (events.Count < count && await reader.ReadLineAsync(guard.Token) is { } line)
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                    events.Add(JsonNode.Parse(line["data: ".Length..])!["data"]!["loyaltyEvents"]!);
        }
        await ReadAsync(4);
        await WaitForLiveAsync(before);
        await _app.PostAsync(p.Slug, new PostPointsInput(p.Ann, LedgerEntryKind.Earn, 11));
        await ReadAsync(5);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await PositionsAsync(p.Slug), events.Select(Position).ToList());
        Assert.Equal(11, events[^1]["points"]!.GetValue<int>());
    }
}

public sealed class LoyaltyEventsSubscriptionTestsOnSqlite(SqliteFixture fixture) : LoyaltyEventsSubscriptionTests(fixture), IClassFixture<SqliteFixture>;

public sealed class LoyaltyEventsSubscriptionTestsOnPostgres(PostgresFixture fixture) : LoyaltyEventsSubscriptionTests(fixture), IClassFixture<PostgresFixture>;
