using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Events;

/// <summary>The event log over GraphQL: <c>events</c> (typed payloads, cursor paging, filters, storefront scope), consumer cursors, retention.</summary>
public abstract class EventQueryTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private const string Events = """
        query($after: String, $first: Int, $filter: LoyaltyEventFilter) {
          events(after: $after, first: $first, filter: $filter) {
            edges { cursor node { __typename id position type occurredAt member { id email }
              ... on MemberEnrolledEvent { memberCode firstName status }
              ... on PointsEarnedEvent { points balanceAfter kind sourceReference } } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private sealed record Program(string Slug, Guid Ann, Guid Bob);

    /// <summary>A program with two members: Ann enrolls and earns 40 then 2; Bob enrolls. Positioned before returning.</summary>
    private async Task<Program> SeedAsync()
    {
        var slug = NewSlug("evq");
        await _app.CreateProgramAsync(slug);
        var ann = await _app.EnrollAsync(slug, "ann@example.com", "Ann");
        await _app.PostAsync(slug, new PostPointsInput(ann.Id, LedgerEntryKind.Earn, 40, SourceReference: "order-1"));
        var bob = await _app.EnrollAsync(slug, "bob@example.com", "Bob");
        await _app.PostAsync(slug, new PostPointsInput(ann.Id, LedgerEntryKind.Earn, 2, SourceReference: "order-2"));
        await SequenceAsync();
        return new Program(slug, ann.Id, bob.Id);
    }

    private Task<long> SequenceAsync() => _app.Services.GetRequiredService<EventSequencer>().SequenceAsync();

    private HttpClient Client(string slug, string role = Roles.Partner, Guid? member = null) => _app.CreateClient(_app.MintToken(slug, role, member));

    private static List<JsonElement> Nodes(GraphQLResult result) =>
        result.Data.GetProperty("events").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();

    [DbFact]
    public async Task Events_are_typed_per_catalog_entry_and_carry_the_member_and_the_template_fields()
    {
        var p = await SeedAsync();
        using var client = Client(p.Slug);

        using var result = await client.PostGraphQLAsync(Events, new { first = 10 });

        Assert.False(result.HasErrors, result.ToString());
        var nodes = Nodes(result);
        Assert.Equal([EventTypes.MemberEnrolled, EventTypes.PointsEarned, EventTypes.MemberEnrolled, EventTypes.PointsEarned], nodes.Select(n => n.GetProperty("type").GetString()));
        Assert.Equal(["MemberEnrolledEvent", "PointsEarnedEvent", "MemberEnrolledEvent", "PointsEarnedEvent"], nodes.Select(n => n.GetProperty("__typename").GetString()));
        Assert.Equal("Ann", nodes[0].GetProperty("firstName").GetString());
        Assert.Equal("Active", nodes[0].GetProperty("status").GetString());
        Assert.Equal((40, 40, "order-1"), (nodes[1].GetProperty("points").GetInt64(), nodes[1].GetProperty("balanceAfter").GetInt64(), nodes[1].GetProperty("sourceReference").GetString()));
        Assert.Equal((2, 42), (nodes[3].GetProperty("points").GetInt64(), nodes[3].GetProperty("balanceAfter").GetInt64()));
        Assert.Equal(MemberId(p.Ann), nodes[1].GetProperty("member").GetProperty("id").GetString());
        Assert.Equal("bob@example.com", nodes[2].GetProperty("member").GetProperty("email").GetString());
        var positions = nodes.Select(n => n.GetProperty("position").GetInt64()).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Select(x => x.ToString()), result.Data.GetProperty("events").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("cursor").GetString()));
        Assert.False(result.Data.GetProperty("events").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
    }

    [DbFact]
    public async Task A_consumer_pages_with_the_end_cursor_and_sees_each_event_once_then_only_new_ones()
    {
        var p = await SeedAsync();
        using var client = Client(p.Slug, Roles.Service);
        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            using var result = await client.PostGraphQLAsync(Events, new { after = cursor, first = 3 });
            Assert.False(result.HasErrors, result.ToString());
            seen.AddRange(Nodes(result).Select(n => n.GetProperty("id").GetString()!));
            var info = result.Data.GetProperty("events").GetProperty("pageInfo");
            cursor = info.GetProperty("endCursor").GetString() ?? cursor;
            if (!info.GetProperty("hasNextPage").GetBoolean())
                break;
        }
        Assert.Equal(4, seen.Distinct().Count());
        Assert.Equal(4, seen.Count);

        await _app.AdjustAsync(p.Slug, p.Bob, 5);
        await _app.PostAsync(p.Slug, new PostPointsInput(p.Bob, LedgerEntryKind.Earn, 3));
        await SequenceAsync();
        using var next = await client.PostGraphQLAsync(Events, new { after = cursor, first = 50 });
        var fresh = Nodes(next);
        Assert.Equal([EventTypes.PointsAdjusted, EventTypes.PointsEarned], fresh.Select(n => n.GetProperty("type").GetString()));
        Assert.All(fresh, n => Assert.DoesNotContain(n.GetProperty("id").GetString(), seen));
    }

    [DbFact]
    public async Task The_filter_selects_types_and_a_member_and_refuses_unknown_types_bad_cursors_and_oversized_pages()
    {
        var p = await SeedAsync();
        using var client = Client(p.Slug, Roles.Admin);

        using var earned = await client.PostGraphQLAsync(Events, new { filter = new { types = new[] { EventTypes.PointsEarned } } });
        Assert.Equal(2, Nodes(earned).Count);
        Assert.All(Nodes(earned), n => Assert.Equal("PointsEarnedEvent", n.GetProperty("__typename").GetString()));
        using var bobs = await client.PostGraphQLAsync(Events, new { filter = new { memberId = MemberId(p.Bob) } });
        Assert.Equal([EventTypes.MemberEnrolled], Nodes(bobs).Select(n => n.GetProperty("type").GetString()));
        using var both = await client.PostGraphQLAsync(Events, new { filter = new { memberId = MemberId(p.Ann), types = new[] { EventTypes.MemberEnrolled } } });
        Assert.Equal("ann@example.com", Assert.Single(Nodes(both)).GetProperty("member").GetProperty("email").GetString());

        using var unknown = await client.PostGraphQLAsync(Events, new { filter = new { types = new[] { "points.gifted" } } });
        Assert.Equal(["INVALID_INPUT"], unknown.ErrorCodes);
        using var badCursor = await client.PostGraphQLAsync(Events, new { after = "abc" });
        Assert.Equal(["INVALID_CURSOR"], badCursor.ErrorCodes);
        using var tooMany = await client.PostGraphQLAsync(Events, new { first = EventFields.MaxPageSize + 1 });
        Assert.Equal(["INVALID_PAGINATION"], tooMany.ErrorCodes);
    }

    [DbFact]
    public async Task A_storefront_token_reads_only_its_own_members_events()
    {
        var p = await SeedAsync();
        using var ann = Client(p.Slug, Roles.Storefront, p.Ann);

        using var own = await ann.PostGraphQLAsync(Events);
        Assert.False(own.HasErrors, own.ToString());
        Assert.Equal(3, Nodes(own).Count);
        Assert.All(Nodes(own), n => Assert.Equal(MemberId(p.Ann), n.GetProperty("member").GetProperty("id").GetString()));

        using var bobs = await ann.PostGraphQLAsync(Events, new { filter = new { memberId = MemberId(p.Bob) } });
        Assert.False(bobs.HasErrors, bobs.ToString());
        Assert.Empty(Nodes(bobs));
        Assert.DoesNotContain("bob@example.com", bobs.Text);
    }

    [DbFact]
    public async Task Consumer_cursors_only_move_forward_and_report_their_lag()
    {
        var p = await SeedAsync();
        using var client = Client(p.Slug, Roles.Service);
        var positions = (await _app.WithTenantAsync(p.Slug, db => db.DomainEvents.Select(e => e.Position!.Value).ToListAsync())).Order().ToList();
        const string Ack = "mutation($c: String!, $p: Long!) { acknowledgeEvents(input: { consumer: $c, position: $p }) { consumer { name acknowledgedPosition lag } userErrors { code field } } }";

        using var firstAck = await client.PostGraphQLAsync(Ack, new { c = "esp-sync", p = positions[1] });
        Assert.Empty(firstAck.UserErrorCodes("acknowledgeEvents"));
        var first = firstAck.Data.GetProperty("acknowledgeEvents");
        Assert.Equal((positions[1], 2L), (first.GetProperty("consumer").GetProperty("acknowledgedPosition").GetInt64(), first.GetProperty("consumer").GetProperty("lag").GetInt64()));

        using var back = await client.PostGraphQLAsync(Ack, new { c = "esp-sync", p = positions[0] });
        Assert.Empty(back.UserErrorCodes("acknowledgeEvents"));
        Assert.Equal(positions[1], back.Data.GetProperty("acknowledgeEvents").GetProperty("consumer").GetProperty("acknowledgedPosition").GetInt64());

        using var forward = await client.PostGraphQLAsync(Ack, new { c = "esp-sync", p = positions[3] });
        Assert.Equal(0, forward.Data.GetProperty("acknowledgeEvents").GetProperty("consumer").GetProperty("lag").GetInt64());
        using var other = await client.PostGraphQLAsync(Ack, new { c = "crm", p = 0 });
        Assert.Empty(other.UserErrorCodes("acknowledgeEvents"));

        using var beyond = await client.PostGraphQLAsync(Ack, new { c = "esp-sync", p = long.MaxValue });
        Assert.Equal(["EVENT_POSITION_UNKNOWN"], beyond.UserErrorCodes("acknowledgeEvents"));
        using var blank = await client.PostGraphQLAsync(Ack, new { c = "  ", p = 0 });
        Assert.Equal(["INVALID_INPUT"], blank.UserErrorCodes("acknowledgeEvents"));

        using var list = await client.PostGraphQLAsync("{ eventConsumers { name acknowledgedPosition lag updatedAt } }");
        var consumers = list.Data.GetProperty("eventConsumers").EnumerateArray().ToList();
        Assert.Equal(["crm", "esp-sync"], consumers.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal((0L, 4L), (consumers[0].GetProperty("acknowledgedPosition").GetInt64(), consumers[0].GetProperty("lag").GetInt64()));
        Assert.Equal((positions[3], 0L), (consumers[1].GetProperty("acknowledgedPosition").GetInt64(), consumers[1].GetProperty("lag").GetInt64()));
    }

    [DbFact]
    public async Task Every_catalog_type_resolves_all_of_its_payload_fields()
    {
        var slug = NewSlug("cat");
        await _app.CreateProgramAsync(slug);
        var member = Guid.NewGuid();
        var at = LoyaltyApiFactory.Epoch;
        await _app.WithTenantAsync(slug, async db =>
        {
            foreach (var entry in EventCatalog.All)
                DomainEvents.Stage(db, entry.Type, member, SamplePayload(entry.PayloadType, member), at, at);
            await db.SaveChangesAsync();
        });
        await SequenceAsync();
        var fragments = string.Join(" ", EventCatalog.All.Select(e =>
            $"... on {e.GraphTypeName} {{ {string.Join(" ", e.PayloadType.GetProperties().Where(p => p.Name is not ("MemberId" or "Email")).Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..] + (IsObject(p.PropertyType) ? " { __typename }" : "")))} }}"));
        using var client = Client(slug, Roles.Admin);

        using var result = await client.PostGraphQLAsync($"{{ events(first: {EventCatalog.All.Count}) {{ nodes {{ __typename type member {{ id email }} {fragments} }} }} }}");

        Assert.False(result.HasErrors, result.ToString());
        var nodes = result.Data.GetProperty("events").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(EventCatalog.All.Select(e => (e.Type, e.GraphTypeName)), nodes.Select(n => (n.GetProperty("type").GetString()!, n.GetProperty("__typename").GetString()!)));
        // Member events carry the member's email; webhook.disabled is an operations event whose payload names none.
        Assert.All(nodes.Where(n => n.GetProperty("type").GetString() != EventTypes.WebhookDisabled),
            n => Assert.Equal("sample@example.com", n.GetProperty("member").GetProperty("email").GetString()));
        var birthday = nodes.Single(n => n.GetProperty("type").GetString() == EventTypes.BirthdayToday);
        Assert.Equal("2026-01-15", birthday.GetProperty("birthday").GetString());
        var issued = nodes.Single(n => n.GetProperty("type").GetString() == EventTypes.RewardIssued);
        Assert.Equal(RewardId(SampleGuid), issued.GetProperty("rewardId").GetString());
        Assert.Equal(1.5m, issued.GetProperty("value").GetDecimal());
    }

    // A nested payload record (e.g. member.updated's segment change) is an object type: it needs a selection.
    private static bool IsObject(Type t) => t.IsClass && t != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(t);

    private static readonly Guid SampleGuid = Guid.Parse("0196a3c0-0000-7000-8000-000000000001");

    /// <summary>A payload record built through its constructor with a sample value per parameter type.</summary>
    private static object SamplePayload(Type type, Guid member)
    {
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return ctor.Invoke(ctor.GetParameters().Select(p => (object?)(p.Name switch
        {
            "MemberId" => member,
            "Email" => "sample@example.com",
            _ => (Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType) switch
            {
                var t when t == typeof(Guid) => SampleGuid,
                var t when t == typeof(string) => "sample",
                var t when t == typeof(long) => 7L,
                var t when t == typeof(int) => 3,
                var t when t == typeof(bool) => true,
                var t when t == typeof(decimal) => 1.5m,
                var t when t == typeof(DateTimeOffset) => LoyaltyApiFactory.Epoch,
                var t when t == typeof(DateOnly) => DateOnly.FromDateTime(LoyaltyApiFactory.Epoch.UtcDateTime),
                var t => throw new InvalidOperationException($"No sample for {t.Name}."),
            },
        })).ToArray());
    }

    [DbFact]
    public async Task A_page_of_events_costs_the_same_SQL_whatever_its_size()
    {
        var p = await SeedAsync();
        using var client = Client(p.Slug, Roles.Service);
        using (await client.PostGraphQLAsync(Events, new { first = 1 })) { } // warm-up: the token's program lookup may be cached after this

        _app.SqlCommands.Reset();
        using var one = await client.PostGraphQLAsync(Events, new { first = 1, after = "1" });
        var forOne = _app.SqlCommands.Count;
        _app.SqlCommands.Reset();
        using var four = await client.PostGraphQLAsync(Events, new { first = 4, after = "1" });
        var forFour = _app.SqlCommands.Count;

        Assert.False(four.HasErrors, four.ToString());
        Assert.True(Nodes(four).Count > 1);
        Assert.Equal(forOne, forFour);
        Assert.True(forFour <= 4, string.Join("\n", _app.SqlCommands.Commands));
    }

    [DbFact]
    public async Task Concurrent_acknowledgements_keep_the_highest_position()
    {
        var p = await SeedAsync();
        var positions = (await _app.WithTenantAsync(p.Slug, db => db.DomainEvents.Select(e => e.Position!.Value).ToListAsync())).Order().ToList();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            _app.WithTenantAsync(p.Slug, db => EventConsumers.AcknowledgeAsync(db, _app.Clock, "racer", positions[i % positions.Count])))));
        var stored = await _app.WithTenantAsync(p.Slug, db => db.EventConsumers.Where(c => c.Name == "racer").Select(c => c.Position).ToListAsync());
        Assert.Equal([positions[^1]], stored);
    }
}

public abstract class EventRetentionTests(DatabaseFixture fixture)
{
    private const string Events = "query($after: String) { events(after: $after) { nodes { type position member { email } } } }";

    [DbFact]
    public async Task The_retention_job_deletes_old_events_but_the_head_and_an_older_cursor_is_told_it_expired()
    {
        await using var app = await LoyaltyApiFactory.StartAsync(fixture.Provider, new Dictionary<string, string?> { ["Events:RetentionDays"] = "30" });
        var sequencer = app.Services.GetRequiredService<EventSequencer>();
        var slug = NewSlug("ret");
        await app.CreateProgramAsync(slug);
        var ann = await app.EnrollAsync(slug, "ann@example.com");
        await app.PostAsync(slug, new PostPointsInput(ann.Id, LedgerEntryKind.Earn, 10));
        await app.PostAsync(slug, new PostPointsInput(ann.Id, LedgerEntryKind.Earn, 20));
        var oldHead = await sequencer.SequenceAsync();
        var old = await app.WithTenantAsync(slug, db => db.DomainEvents.OrderBy(e => e.Position).Select(e => e.Position!.Value).ToListAsync());
        Assert.Equal(3, old.Count);

        app.Clock.Advance(TimeSpan.FromDays(29));
        async Task<JsonElement> RunAsync()
        {
            using var admin = app.CreateClient(app.MintToken(slug, Roles.Admin));
            using var run = await admin.PostGraphQLAsync("mutation { runJob(name: \"event-retention\") { run { outcome processed } userErrors { code } } }");
            return run.Data.GetProperty("runJob").GetProperty("run").Clone();
        }
        Assert.Equal(0, (await RunAsync()).GetProperty("processed").GetInt32()); // 29 days: nothing is old enough

        app.Clock.Advance(TimeSpan.FromDays(2));
        var first = await RunAsync();
        Assert.Equal(("SUCCEEDED", 2), (first.GetProperty("outcome").GetString(), first.GetProperty("processed").GetInt32()));
        // The log's head stays, so the next event is numbered after it, never again with a deleted number.
        Assert.Equal([oldHead], await app.WithTenantAsync(slug, db => db.DomainEvents.Select(e => e.Position!.Value).ToListAsync()));
        await app.EnrollAsync(slug, "bob@example.com");
        Assert.Equal(oldHead + 1, await sequencer.SequenceAsync());
        app.Clock.Advance(TimeSpan.FromDays(31));
        await app.EnrollAsync(slug, "cy@example.com");
        await sequencer.SequenceAsync();
        Assert.Equal(2, (await RunAsync()).GetProperty("processed").GetInt32());
        Assert.Equal(0, (await RunAsync()).GetProperty("processed").GetInt32()); // a rerun changes nothing

        using var client = app.CreateClient(app.MintToken(slug, Roles.Partner));
        using var fromStart = await client.PostGraphQLAsync(Events);
        Assert.Equal(["cy@example.com"], fromStart.Data.GetProperty("events").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("member").GetProperty("email").GetString()));
        foreach (var expired in new[] { old[0], old[2], oldHead })
        {
            using var stale = await client.PostGraphQLAsync(Events, new { after = expired.ToString() });
            Assert.Equal(["EVENTS_CURSOR_EXPIRED"], stale.ErrorCodes);
        }
        // A cursor at the last deleted position missed nothing.
        using var resumed = await client.PostGraphQLAsync(Events, new { after = (oldHead + 1).ToString() });
        Assert.False(resumed.HasErrors, resumed.ToString());
        Assert.Single(resumed.Data.GetProperty("events").GetProperty("nodes").EnumerateArray());
    }
}

public sealed class EventRetentionTestsOnSqlite(SqliteFixture fixture) : EventRetentionTests(fixture), IClassFixture<SqliteFixture>;

public sealed class EventRetentionTestsOnPostgres(PostgresFixture fixture) : EventRetentionTests(fixture), IClassFixture<PostgresFixture>;

public sealed class EventQueryTestsOnSqlite(SqliteFixture fixture) : EventQueryTests(fixture), IClassFixture<SqliteFixture>;

public sealed class EventQueryTestsOnPostgres(PostgresFixture fixture) : EventQueryTests(fixture), IClassFixture<PostgresFixture>;
