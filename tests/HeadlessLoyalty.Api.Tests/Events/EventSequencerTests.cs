using System.Collections.Concurrent;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Tests.Events;

/// <summary>
/// The log's cursor under concurrent writers: transactions that commit out of order (random delays inside them),
/// sequencers racing each other, and a reader paging with its cursor all the while.
/// </summary>
public abstract class EventSequencerTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    private bool OnSqlite => fixture.Provider == DatabaseProvider.Sqlite;

    private static string NewSlug() => $"ev-{Guid.NewGuid():N}"[..12];

    /// <summary>Commits one transaction that stages <paramref name="count"/> events, holding it open for <paramref name="delay"/> before the commit.</summary>
    private Task<List<Guid>> WriteAsync(string slug, int count, TimeSpan delay) => _app.WithTenantAsync(slug, async db =>
    {
        await using var tx = await db.Database.BeginTransactionAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var now = DateTimeOffset.UtcNow;
            ids.Add(DomainEvents.Stage(db, EventTypes.MemberUpdated, null, new { n = i }, now, now).Id);
        }
        await db.SaveChangesAsync();
        await Task.Delay(delay);
        await tx.CommitAsync();
        return ids;
    });

    private EventSequencer RacingSequencer(int batchSize) => new(
        _app.Services.GetRequiredService<DatabaseSettings>(), new EventWakeups(), Options.Create(new EventsOptions { BatchSize = batchSize }));

    [DbFact]
    public async Task A_reader_paging_with_its_cursor_sees_every_event_of_concurrent_out_of_order_commits_exactly_once_in_position_order()
    {
        var slug = NewSlug();
        await _app.CreateProgramAsync(slug);
        var other = NewSlug();
        await _app.CreateProgramAsync(other);
        var (writers, transactions) = OnSqlite ? (4, 4) : (16, 8);
        var headBefore = await RacingSequencer(100).SequenceAsync();

        var written = new ConcurrentBag<Guid>();
        using var done = new CancellationTokenSource();
        var writing = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var t = 0; t < transactions; t++)
            {
                foreach (var id in await WriteAsync(slug, random.Next(1, 4), TimeSpan.FromMilliseconds(random.Next(0, 40))))
                    written.Add(id);
                // Another program's events interleave: positions are global, reads are per program.
                if (w % 4 == 0)
                    await WriteAsync(other, 1, TimeSpan.FromMilliseconds(random.Next(0, 20)));
            }
        })));
        // Racing sequencers on top of the app's own background one; small batches interleave them more.
        var sequencing = Task.WhenAll(Enumerable.Range(0, 3).Select(s => Task.Run(async () =>
        {
            var sequencer = RacingSequencer(batchSize: 2 + s);
            while (!done.IsCancellationRequested)
                await sequencer.SequenceAsync();
        })));

        var seen = new List<DomainEvent>();
        var cursor = 0L;
        var deadline = DateTime.UtcNow.AddMinutes(2); // a guard against a hang, not a timing assertion
        while (!(writing.IsCompleted && seen.Count >= written.Count) && DateTime.UtcNow < deadline)
        {
            var page = await _app.WithTenantAsync(slug, db => EventLog.ReadAsync(db, cursor, 5, null, null));
            foreach (var e in page)
            {
                Assert.True(e.Position > cursor, $"position {e.Position} after cursor {cursor}");
                cursor = e.Position!.Value;
                seen.Add(e);
            }
            if (writing.IsFaulted)
                await writing;
        }
        await done.CancelAsync();
        await writing;
        await sequencing;

        Assert.Equal(written.Count, seen.Count);
        Assert.Equal(written.OrderBy(id => id), seen.Select(e => e.Id).OrderBy(id => id));
        Assert.Empty(await _app.WithTenantAsync(slug, db => EventLog.ReadAsync(db, cursor, 100, null, null)));

        // Every event of the database got exactly one position, and the positions given out during the test leave no hole.
        var positions = await _app.WithScopeAsync(sp => sp.GetRequiredService<LoyaltyDbContext>().DomainEvents.IgnoreQueryFilters()
            .Where(e => e.Position > headBefore || e.Position == null).Select(e => e.Position).ToListAsync());
        Assert.DoesNotContain(null, positions);
        Assert.Equal(Enumerable.Range(1, positions.Count).Select(i => (long?)(headBefore + i)), positions.Order());
    }

    [DbFact]
    public async Task Racing_sequencers_never_give_two_events_the_same_position()
    {
        var slug = NewSlug();
        await _app.CreateProgramAsync(slug);
        var headBefore = await RacingSequencer(100).SequenceAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
            ids.AddRange(await WriteAsync(slug, 5, TimeSpan.Zero));

        var heads = await Task.WhenAll(Enumerable.Range(0, 6).Select(s => Task.Run(() => RacingSequencer(batchSize: 1 + s % 3).SequenceAsync())));

        var events = await _app.WithTenantAsync(slug, db => db.DomainEvents.AsNoTracking().Where(e => ids.Contains(e.Id)).ToListAsync());
        Assert.Equal(ids.Count, events.Select(e => e.Position).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => (long?)(headBefore + i)), events.Select(e => e.Position).Order());
        // Each returns only once the queue is drained, so each reports the final head.
        Assert.All(heads, h => Assert.Equal(headBefore + ids.Count, h));
    }

    [DbFact]
    public async Task Events_of_one_batch_are_numbered_in_recorded_order_and_reads_stay_within_the_program_filter()
    {
        var slug = NewSlug();
        var other = NewSlug();
        await _app.CreateProgramAsync(slug);
        await _app.CreateProgramAsync(other);
        var member = Guid.NewGuid();
        var t0 = LoyaltyApiFactory.Epoch; // whole milliseconds: PostgreSQL keeps microseconds only
        await _app.WithTenantAsync(slug, async db =>
        {
            // Staged out of recorded order: the sequencer orders by (RecordedAt, Id), not by insertion.
            DomainEvents.Stage(db, EventTypes.PointsEarned, member, new { }, t0, t0.AddSeconds(2));
            DomainEvents.Stage(db, EventTypes.MemberUpdated, null, new { }, t0, t0);
            DomainEvents.Stage(db, EventTypes.PointsEarned, null, new { }, t0, t0.AddSeconds(1));
            await db.SaveChangesAsync();
        });
        await _app.WithTenantAsync(other, async db =>
        {
            DomainEvents.Stage(db, EventTypes.PointsEarned, member, new { }, t0, t0);
            await db.SaveChangesAsync();
        });
        await _app.Services.GetRequiredService<EventSequencer>().SequenceAsync();

        var all = await _app.WithTenantAsync(slug, db => EventLog.ReadAsync(db, 0, 10, null, null));
        Assert.Equal([t0, t0.AddSeconds(1), t0.AddSeconds(2)], all.Select(e => e.RecordedAt));
        var earned = await _app.WithTenantAsync(slug, db => EventLog.ReadAsync(db, 0, 10, [EventTypes.PointsEarned], null));
        Assert.Equal(2, earned.Count);
        var mine = await _app.WithTenantAsync(slug, db => EventLog.ReadAsync(db, 0, 10, null, member));
        Assert.Equal(all[2].Id, Assert.Single(mine).Id);
        var afterFirst = await _app.WithTenantAsync(slug, db => EventLog.ReadAsync(db, all[0].Position!.Value, 1, null, null));
        Assert.Equal(all[1].Id, Assert.Single(afterFirst).Id);
        Assert.Equal(all[2].Position, await _app.WithTenantAsync(slug, db => EventLog.HeadAsync(db)));
    }

    [DbFact]
    public async Task A_commit_wakes_the_background_sequencer_and_the_waiters_of_the_new_head()
    {
        var slug = NewSlug();
        await _app.CreateProgramAsync(slug);
        var wakeups = _app.Services.GetRequiredService<IEventWakeups>();
        var known = await _app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        var woken = wakeups.WaitAsync(known, CancellationToken.None).AsTask();
        Assert.False(woken.IsCompleted);

        var id = (await WriteAsync(slug, 1, TimeSpan.Zero))[0];

        // No explicit sequencing: the commit nudges the app's background sequencer, which announces the new head.
        var head = await woken.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(head > known);
        var read = await _app.WithTenantAsync(slug, db => EventLog.ReadAsync(db, known, 10, null, null));
        Assert.Contains(id, read.Select(e => e.Id));
    }
}

public sealed class EventSequencerTestsOnSqlite(SqliteFixture fixture) : EventSequencerTests(fixture), IClassFixture<SqliteFixture>;

public sealed class EventSequencerTestsOnPostgres(PostgresFixture fixture) : EventSequencerTests(fixture), IClassFixture<PostgresFixture>;
