using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Segments;
using HeadlessLoyalty.Api.Tests.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Segments;

/// <summary>
/// The <c>segments</c> job on the real app: time alone moves members between segments, each move is recorded and
/// announced once (member.updated, changedFields ["segment"]), a rerun announces nothing, other programs are untouched.
/// Each test makes its own program; the class's fake clock only moves forward, and every test counts days from its
/// own purchases.
/// </summary>
public abstract class SegmentJobTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private const string RunJob = "mutation { runJob(name: \"segments\") { run { outcome processed error } userErrors { code } } }";

    private async Task<int> RunJobAsync(string slug)
    {
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        var run = (await client.FieldAsync(RunJob, "runJob")).GetProperty("run");
        Assert.Equal("SUCCEEDED", run.GetProperty("outcome").GetString());
        return run.GetProperty("processed").GetInt32();
    }

    private async Task<string?> SegmentOnReadAsync(string slug, Guid memberId) => (await SegmentAndSinceAsync(slug, memberId)).Segment;

    /// <summary>Member.segment and Member.segmentSince over GraphQL (since: null, or how many days before now).</summary>
    private async Task<(string? Segment, double? SinceDaysAgo)> SegmentAndSinceAsync(string slug, Guid memberId)
    {
        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        var member = await client.FieldAsync("query($id: ID!) { member(by: { id: $id }) { segment segmentSince } }", "member", new { id = MemberId(memberId) });
        var since = member.GetProperty("segmentSince");
        return (member.GetProperty("segment").GetString(),
            since.ValueKind == System.Text.Json.JsonValueKind.Null ? null : (_app.Clock.GetUtcNow() - since.GetDateTimeOffset()).TotalDays);
    }

    private Task BuyAsync(string slug, Guid memberId, string reference) =>
        _app.WithTenantAsync(slug, db => PurchaseOperations.RecordAsync(db, _app.Clock, "test", new RecordPurchaseInput(
            memberId, PurchaseChannel.Online, "web", null, reference, 10m, null, "USD", null, PurchaseStatus.Completed)));

    /// <summary>The program's segment events in order, as (email, from, to, status).</summary>
    private Task<List<(string Email, string? From, string? To, string Status)>> SegmentEventsAsync(string slug) =>
        _app.WithTenantAsync(slug, async db =>
        {
            var events = await db.DomainEvents.AsNoTracking().Where(e => e.Type == EventTypes.MemberUpdated).OrderBy(e => e.Id).ToListAsync();
            return events.Select(DomainEvents.Read<MemberEventPayload>)
                .Select(p =>
                {
                    Assert.Equal(["segment"], p.ChangedFields!);
                    return (p.Email, p.Segment!.From, p.Segment.To, p.Status);
                })
                .ToList();
        });

    private async Task<(string Slug, Guid MemberId)> LoyalMemberAsync(string prefix)
    {
        var slug = NewSlug(prefix);
        await _app.CreateProgramAsync(slug);
        var member = await _app.EnrollAsync(slug, $"{slug}@example.com");
        for (var i = 1; i <= 3; i++)
        {
            await BuyAsync(slug, member.Id, $"{slug}-{i}");
            _app.Clock.Advance(TimeSpan.FromDays(1));
        }
        return (slug, member.Id);
    }

    [DbFact]
    public async Task Time_alone_moves_a_member_Loyal_then_At_Risk_then_Win_Back_with_one_member_updated_per_move_and_reruns_send_nothing()
    {
        var (slug, memberId) = await LoyalMemberAsync("sg");
        var (other, _) = await LoyalMemberAsync("sgo");
        var email = $"{slug}@example.com";

        var steps = new List<(int Processed, int Rerun, string? OnRead)>();
        async Task StepAsync() => steps.Add((await RunJobAsync(slug), await RunJobAsync(slug), await SegmentOnReadAsync(slug, memberId)));
        await StepAsync();                                  // 3 purchases in the window: Loyal
        _app.Clock.Advance(TimeSpan.FromDays(60));
        await StepAsync();                                  // 62 days idle: still Loyal
        _app.Clock.Advance(TimeSpan.FromDays(30));
        await StepAsync();                                  // 92 days idle: At Risk
        _app.Clock.Advance(TimeSpan.FromDays(90));
        await StepAsync();                                  // 182 days idle: Win Back

        Assert.Equal([(1, 0, "LOYAL"), (0, 0, "LOYAL"), (1, 0, "AT_RISK"), (1, 0, "WIN_BACK")], steps);
        Assert.Equal([(email, null, "Loyal", "Active"), (email, "Loyal", "AtRisk", "Active"), (email, "AtRisk", "WinBack", "Active")],
            await SegmentEventsAsync(slug));
        var recorded = await _app.WithTenantAsync(slug, db => db.MemberSegments.AsNoTracking().SingleAsync());
        Assert.Equal((memberId, Segment.WinBack, _app.Clock.GetUtcNow()), (recorded.MemberId, recorded.Segment, recorded.Since));
        Assert.Equal(("WIN_BACK", (double?)0), await SegmentAndSinceAsync(slug, memberId));
        // The job ran for the caller's program only: the other one has neither rows nor events.
        Assert.Empty(await SegmentEventsAsync(other));
        Assert.Equal(0, await _app.WithTenantAsync(other, db => db.MemberSegments.CountAsync()));
    }

    [DbFact]
    public async Task Segment_since_is_when_the_job_recorded_the_current_segment_and_null_while_a_move_awaits_the_next_run()
    {
        var (slug, memberId) = await LoyalMemberAsync("sgs");
        var beforeAnyRun = await SegmentAndSinceAsync(slug, memberId);
        await RunJobAsync(slug);
        _app.Clock.Advance(TimeSpan.FromDays(30));
        var loyalFor30Days = await SegmentAndSinceAsync(slug, memberId);
        _app.Clock.Advance(TimeSpan.FromDays(70));            // 102 days idle: At Risk now, not yet recorded
        var movedNotRecorded = await SegmentAndSinceAsync(slug, memberId);
        await RunJobAsync(slug);
        _app.Clock.Advance(TimeSpan.FromDays(2));
        var atRiskFor2Days = await SegmentAndSinceAsync(slug, memberId);

        Assert.Equal([("LOYAL", null), ("LOYAL", 30), ("AT_RISK", null), ("AT_RISK", 2)],
            new (string?, double?)[] { beforeAnyRun, loyalFor30Days, movedNotRecorded, atRiskFor2Days });
    }

    [DbFact]
    public async Task A_new_purchase_takes_a_Win_Back_member_out_of_the_segment_and_enough_of_them_make_the_member_Loyal_again()
    {
        var (slug, memberId) = await LoyalMemberAsync("sgp");
        await RunJobAsync(slug);
        _app.Clock.Advance(TimeSpan.FromDays(200));
        await RunJobAsync(slug);

        await BuyAsync(slug, memberId, $"{slug}-back-1");     // recent again, 1 purchase in the window: no segment
        var afterOne = (await RunJobAsync(slug), await SegmentOnReadAsync(slug, memberId));
        await BuyAsync(slug, memberId, $"{slug}-back-2");
        await BuyAsync(slug, memberId, $"{slug}-back-3");
        var afterThree = (await RunJobAsync(slug), await SegmentOnReadAsync(slug, memberId));

        Assert.Equal(((1, (string?)null), (1, (string?)"LOYAL")), (afterOne, afterThree));
        Assert.Equal([(null, "Loyal"), ("Loyal", "WinBack"), ("WinBack", null), (null, "Loyal")],
            (await SegmentEventsAsync(slug)).Select(e => (e.From, e.To)));
    }

    [DbFact]
    public async Task Changing_the_segment_rules_reclassifies_members_on_the_next_run()
    {
        var slug = NewSlug("sgr");
        await _app.CreateProgramAsync(slug);
        var member = await _app.EnrollAsync(slug, $"{slug}@example.com");
        await BuyAsync(slug, member.Id, $"{slug}-1");
        Assert.Equal(0, await RunJobAsync(slug));         // one purchase: no segment under the defaults

        using var client = _app.CreateClient(_app.MintToken(slug, Roles.Admin));
        var update = await client.FieldAsync("mutation { updateSegmentRules(input: { loyalMinPurchases: 1 }) { userErrors { code } } }", "updateSegmentRules");
        Assert.Empty(GraphQLClient.UserErrorsOf(update));

        Assert.Equal((1, 0), (await RunJobAsync(slug), await RunJobAsync(slug)));
        Assert.Equal([(null, "Loyal")], (await SegmentEventsAsync(slug)).Select(e => (e.From, e.To)));
    }

    [DbFact]
    public async Task Blocked_members_are_classified_like_everyone_and_their_event_says_they_are_blocked()
    {
        var (slug, memberId) = await LoyalMemberAsync("sgb");
        await _app.WithTenantAsync(slug, db => MemberOperations.BlockAsync(db, _app.Clock, "test", memberId));
        var memberEventsBefore = await _app.WithTenantAsync(slug, db => db.DomainEvents.CountAsync(e => e.Type == EventTypes.MemberUpdated));

        Assert.Equal(1, await RunJobAsync(slug));

        Assert.Equal(0, memberEventsBefore);
        Assert.Equal([(null, "Loyal", "Blocked")], (await SegmentEventsAsync(slug)).Select(e => (e.From, e.To, e.Status)));
    }

    [DbFact]
    public async Task Members_are_refreshed_in_batches_with_the_same_number_of_queries_however_many_members_a_batch_holds()
    {
        var slug = NewSlug("sgn");
        await _app.CreateProgramAsync(slug);
        var members = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            var member = await _app.EnrollAsync(slug, $"{slug}-{i}@example.com");
            members.Add(member.Id);
            for (var p = 0; p < 3; p++)
                await BuyAsync(slug, member.Id, $"{slug}-{i}-{p}");
        }
        _app.Clock.Advance(TimeSpan.FromDays(1));

        // 7 members in batches of 3 (3 + 3 + 1): every one classified once, whatever batch it fell in.
        var inBatchesOfThree = await _app.WithTenantAsync(slug, db => SegmentRefresh.RunAsync(db, _app.Clock, batchSize: 3));
        var rerun = await _app.WithTenantAsync(slug, db => SegmentRefresh.RunAsync(db, _app.Clock, batchSize: 3));
        Assert.Equal((7, 0), (inBatchesOfThree, rerun));

        // One batch of 7 changes reads with the same queries as one batch of 1 change: no read per member (the writes
        // are one statement per row and event; PostgreSQL sends them in one batch, SQLite one by one, in process).
        _app.Clock.Advance(TimeSpan.FromDays(100));       // all 7 At Risk
        _app.SqlCommands.Reset();
        Assert.Equal(7, await _app.WithTenantAsync(slug, db => SegmentRefresh.RunAsync(db, _app.Clock)));
        var forSeven = Reads();
        await BuyAsync(slug, members[0], $"{slug}-again");   // one member recent again (1 purchase: no segment)
        _app.SqlCommands.Reset();
        Assert.Equal(1, await _app.WithTenantAsync(slug, db => SegmentRefresh.RunAsync(db, _app.Clock)));
        Assert.Equal(forSeven, Reads());
        Assert.Equal(15, (await SegmentEventsAsync(slug)).Count);
        Assert.InRange(forSeven, 1, 10);

        int Reads() => _app.SqlCommands.Commands.Count(c => c.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase));
    }
}

public sealed class SegmentJobTestsOnSqlite(SqliteFixture fixture) : SegmentJobTests(fixture), IClassFixture<SqliteFixture>;

public sealed class SegmentJobTestsOnPostgres(PostgresFixture fixture) : SegmentJobTests(fixture), IClassFixture<PostgresFixture>;
