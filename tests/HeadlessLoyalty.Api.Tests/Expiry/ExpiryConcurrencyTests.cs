using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Expiry;

/// <summary>The expiry run against concurrent member writes, on PostgreSQL (where they really interleave).</summary>
public sealed class ExpiryConcurrencyTests
{
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));

    private async Task<Guid> MemberWithLotsAsync(TestDatabase db, string email, params (long Points, int DaysLater)[] credits)
    {
        await using var ctx = db.ContextA();
        var start = _clock.Now;
        var id = (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput(email))).Member.Id;
        foreach (var (points, days) in credits)
        {
            _clock.Now = start.AddDays(days);
            await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Earn, points));
        }
        _clock.Now = start;
        return id;
    }

    private static async Task<int> WaitersAsync(LoyaltyDbContext ctx) =>
        await ctx.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()").SingleAsync();

    [Theory, PostgresData]
    public async Task A_redeem_during_the_run_waits_retries_on_the_new_balance_and_takes_only_from_lots_left(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var setup = db.ContextA())
            await ExpiryOperations.UpdatePolicyAsync(setup, _clock, new ExpirySettings(1, null));
        var member = await MemberWithLotsAsync(db, "race@example.com", (100, 0), (50, 40));
        _clock.Now = new DateTimeOffset(2026, 2, 20, 0, 0, 0, TimeSpan.Zero); // the first lot has lapsed, the second not

        await using var run = db.ContextA();
        await using var tx = await run.Database.BeginTransactionAsync();
        Assert.Equal(1, await ExpirySql.ExpireAsync(run, _clock.Now, null, CancellationToken.None));

        // The redeem reads the old balance (100 + 50), then its save waits on the rows the run has changed.
        await using var writer = db.ContextA();
        var redeem = PointsOperations.PostAsync(writer, _clock, "t", new PostPointsInput(member, LedgerEntryKind.Redeem, -40));
        await using (var probe = db.ContextA())
        {
            for (var i = 0; i < 200 && await WaitersAsync(probe) == 0 && !redeem.IsCompleted; i++)
                await Task.Delay(50);
            Assert.False(redeem.IsCompleted, "the redeem should wait for the run");
        }
        await tx.CommitAsync();
        var result = await redeem;

        Assert.Equal(10, result.Balance.Approved);
        await using var check = db.ContextA();
        var balance = await check.Balances.AsNoTracking().SingleAsync(b => b.MemberId == member);
        Assert.Equal((10L, 100L, 40L), (balance.Approved, balance.Expired, balance.Spent));
        var lots = await check.PointsLots.AsNoTracking().Where(l => l.MemberId == member).OrderBy(l => l.EarnedAt).ToListAsync();
        Assert.Equal([0L, 10L], lots.Select(l => l.Remaining));
        var taken = await check.LotAllocations.AsNoTracking().Where(a => a.EntryId == result.Entry.Id).ToListAsync();
        Assert.Equal([(lots[1].Id, 40L)], taken.Select(a => (a.LotId, a.Points)));
        var entries = await check.LedgerEntries.AsNoTracking().Where(e => e.MemberId == member).ToListAsync();
        Assert.Equal(balance.Approved, Ledger.Fold(entries).Approved);
    }

    [Theory, PostgresData]
    public async Task The_run_skips_a_member_a_writer_holds_instead_of_waiting_and_expires_them_on_the_next_run(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var setup = db.ContextA())
            await ExpiryOperations.UpdatePolicyAsync(setup, _clock, new ExpirySettings(1, null));
        var held = await MemberWithLotsAsync(db, "held@example.com", (100, 0));
        var free = await MemberWithLotsAsync(db, "free@example.com", (70, 0));
        _clock.Now = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        await using var writer = db.ContextA();
        await using (var tx = await writer.Database.BeginTransactionAsync())
        {
            await writer.Database.ExecuteSqlRawAsync("SELECT 1 FROM \"Balances\" WHERE \"MemberId\" = {0} FOR UPDATE", held);
            await using var run = db.ContextA();
            Assert.Equal(1, await ExpiryOperations.ExpireAsync(run, _clock));
            await tx.RollbackAsync();
        }
        await using var again = db.ContextA();
        Assert.Equal(1, await ExpiryOperations.ExpireAsync(again, _clock));

        var expired = await again.Balances.AsNoTracking().Where(b => b.MemberId == held || b.MemberId == free).ToDictionaryAsync(b => b.MemberId, b => b.Expired);
        Assert.Equal((100L, 70L), (expired[held], expired[free]));
    }
}
