using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Expiry;

/// <summary>
/// The expiry run writes its events in SQL; their ids must still follow every id the process handed out before, like
/// the events staged in C#, or a reader ordering by id sees a warning or an expiry ahead of earlier events. (Found by the
/// year-in-the-life scenario: after another app in the process had a later clock, its expiries sorted first.)
/// </summary>
public sealed class ExpiryEventIdTests
{
    [Theory, SqliteData, PostgresData]
    public async Task Warnings_and_expiries_written_in_SQL_take_ids_after_every_id_the_process_handed_out_before(string provider)
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero));
        await using var db = await TestDatabase.CreateAsync(provider);
        Guid member;
        await using (var ctx = db.ContextA())
        {
            await ExpiryOperations.UpdatePolicyAsync(ctx, clock, new ExpirySettings(1, null));
            member = (await MemberOperations.EnrollAsync(ctx, clock, "t", new EnrollMemberInput("ids@example.com"))).Member.Id;
            await PointsOperations.PostAsync(ctx, clock, "t", new PostPointsInput(member, LedgerEntryKind.Earn, 100));
        }

        var ids = new List<(string Type, Guid Id, Guid HandedOutBefore)>();
        foreach (var (days, type) in new[] { (26, EventTypes.PointsExpireIn3Days), (3, EventTypes.PointsExpired) })
        {
            clock.Advance(TimeSpan.FromDays(days));
            // Another app of the process (a clock ahead, as in a test run) has handed out an id a day later than this run.
            var before = DomainEvents.NextId(clock.GetUtcNow().AddDays(1));
            await using var ctx = db.ContextA();
            Assert.Equal(1, await ExpiryOperations.RunAsync(ctx, clock));
            var e = await ctx.DomainEvents.AsNoTracking().SingleAsync(x => x.Type == type);
            ids.Add((type, e.Id, before));
        }

        Assert.All(ids, x => Assert.True(string.CompareOrdinal(x.Id.ToString(), x.HandedOutBefore.ToString()) > 0,
            $"{x.Type} {x.Id} sorts before {x.HandedOutBefore}, an id handed out before the run"));
        Assert.True(string.CompareOrdinal(ids[1].Id.ToString(), ids[0].Id.ToString()) > 0);
    }
}
