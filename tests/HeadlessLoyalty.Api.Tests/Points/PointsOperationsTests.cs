using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Points;

public sealed class PointsOperationsTests
{
    private readonly FixedClock _clock = new();

    private async Task<Guid> EnrollAsync(TestDatabase db, string email = "ann@example.com")
    {
        await using var ctx = db.ContextA();
        return (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput(email))).Member.Id;
    }

    /// <summary>The invariant every write keeps: the row equals the fold of the member's entries.</summary>
    private static async Task AssertBalanceMatchesEntriesAsync(LoyaltyDbContext ctx, Guid memberId)
    {
        var entries = await ctx.LedgerEntries.AsNoTracking().Where(e => e.MemberId == memberId).ToListAsync();
        var row = await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == memberId);
        Assert.Equal(Ledger.Fold(entries), BalanceState.Of(row) with { LastUpdatedAt = default });
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_adjustment_appends_an_entry_and_moves_the_balance_in_one_step(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();

        var credit = await PointsOperations.AdjustAsync(ctx, _clock, "admin:alice", new AdjustPointsInput(id, 250, " goodwill "), "k1");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var debit = await PointsOperations.AdjustAsync(ctx, _clock, "admin:alice", new AdjustPointsInput(id, -100, "typo"), "k2");

        Assert.Equal((LedgerEntryKind.Adjustment, LedgerEntryStatus.Approved, 250L, "goodwill", "admin:alice"),
            (credit.Entry.Kind, credit.Entry.Status, credit.Entry.Points, credit.Entry.Reason, credit.Entry.Actor));
        Assert.Equal((150L, 250L, 2L, _clock.Now), (debit.Balance.Approved, debit.Balance.Lifetime, debit.Balance.Version, debit.Balance.LastUpdatedAt));

        var entries = await ctx.LedgerEntries.OrderBy(e => e.Points).ToListAsync();
        Assert.Equal([(-100L, "k2"), (250L, "k1")], entries.Select(e => (e.Points, e.IdempotencyKey!)));
        Assert.All(entries, e => Assert.Equal(db.ProgramA, e.ProgramId));
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Overdrawing_is_refused_unless_an_admin_allows_it(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, 30, "seed"), "seed");

        var ex = await Assert.ThrowsAsync<InsufficientPointsException>(() =>
            PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, -31, "too much"), "k1"));
        Assert.Equal("INSUFFICIENT_POINTS", ex.Code);
        Assert.Equal(1, await ctx.LedgerEntries.CountAsync());

        var allowed = await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, -31, "clawback", AllowNegative: true), "k2");
        Assert.Equal(-1, allowed.Balance.Approved);
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Adjustments_need_a_key_and_a_reason_and_sane_points(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();

        Assert.Equal("IDEMPOTENCY_KEY_REQUIRED", (await Assert.ThrowsAsync<IdempotencyKeyRequiredException>(() =>
            PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, 5, "r"), " "))).Code);
        Assert.Equal("reason", (await Assert.ThrowsAsync<InvalidInputException>(() =>
            PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, 5, ""), "k"))).Field);
        Assert.Equal("points", (await Assert.ThrowsAsync<InvalidInputException>(() =>
            PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, 0, "r"), "k"))).Field);
        Assert.Equal("MEMBER_NOT_FOUND", (await Assert.ThrowsAsync<MemberNotFoundException>(() =>
            PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(Guid.NewGuid(), 5, "r"), "k"))).Code);
        Assert.Equal(0, await ctx.LedgerEntries.CountAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Pending_credits_settle_once_by_approval_or_cancellation(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        var a = await PointsOperations.PostAsync(ctx, _clock, "store:1", new PostPointsInput(id, LedgerEntryKind.Earn, 80, SourceReference: "order-1", Pending: true));
        var b = await PointsOperations.PostAsync(ctx, _clock, "store:1", new PostPointsInput(id, LedgerEntryKind.Earn, 20, SourceReference: "order-2", Pending: true));
        Assert.Equal((0L, 100L), (b.Balance.Approved, b.Balance.Pending));

        var approved = await PointsOperations.ApprovePendingAsync(ctx, _clock, "system", a.Entry.Id);
        var cancelled = await PointsOperations.CancelPendingAsync(ctx, _clock, "system", b.Entry.Id);
        Assert.Equal(LedgerEntryStatus.Approved, approved.Entry.Status);
        Assert.Equal((80L, 0L, 80L), (cancelled.Balance.Approved, cancelled.Balance.Pending, cancelled.Balance.Lifetime));

        var again = await Assert.ThrowsAsync<LedgerEntryNotPendingException>(() => PointsOperations.ApprovePendingAsync(ctx, _clock, "system", b.Entry.Id));
        Assert.Equal("LEDGER_ENTRY_NOT_PENDING", again.Code);
        await Assert.ThrowsAsync<LedgerEntryNotFoundException>(() => PointsOperations.CancelPendingAsync(ctx, _clock, "system", Guid.NewGuid()));
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Redemptions_and_expiry_are_accounted_separately(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Earn, 100));
        await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Redeem, -60));
        var last = await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Expire, -40));
        Assert.Equal((0L, 60L, 40L, 100L), (last.Balance.Approved, last.Balance.Spent, last.Balance.Expired, last.Balance.Lifetime));
        await Assert.ThrowsAsync<InsufficientPointsException>(() => PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Redeem, -1)));
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task History_filters_by_kind_status_and_date_range_newest_first(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        var other = await EnrollAsync(db, "bob@example.com");
        var day = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        await using var ctx = db.ContextA();
        for (var i = 0; i < 5; i++)
            await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Earn, 10 + i, OccurredAt: day.AddDays(i)));
        await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Redeem, -5, OccurredAt: day.AddDays(2).AddHours(1)));
        await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(other, LedgerEntryKind.Earn, 99, OccurredAt: day));

        async Task<List<long>> Points(HistoryFilter f) => await LedgerQueries.History(ctx, id, f).Select(e => e.Points).ToListAsync();
        Assert.Equal([14L, 13L, -5L, 12L, 11L, 10L], await Points(new HistoryFilter()));
        Assert.Equal([10L, 11L, 12L, -5L, 13L, 14L], await Points(new HistoryFilter(Order: HistoryOrder.OldestFirst)));
        Assert.Equal([-5L], await Points(new HistoryFilter(Kinds: [LedgerEntryKind.Redeem])));
        Assert.Equal([-5L, 12L, 11L], await Points(new HistoryFilter(From: day.AddDays(1), To: day.AddDays(3))));
        Assert.Equal([13L, 12L], await Points(new HistoryFilter(Kinds: [LedgerEntryKind.Earn], From: day.AddDays(2), To: day.AddDays(4))));
        Assert.Empty(await Points(new HistoryFilter(Statuses: [LedgerEntryStatus.Pending])));
        Assert.Equal(2, await LedgerQueries.History(ctx, id, new HistoryFilter()).Skip(1).Take(2).CountAsync());
    }

    [Theory, PostgresData]
    public async Task Fifty_concurrent_debits_against_ten_affordable_ones_spend_exactly_ten(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using (var seed = db.ContextA())
            await PointsOperations.AdjustAsync(seed, _clock, "t", new AdjustPointsInput(id, 100, "seed"), "seed");

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await using var ctx = db.ContextA();
            try
            {
                await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, -10, "spend"), $"debit-{i}");
                return "ok";
            }
            catch (LoyaltyException e) { return e.Code; }
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(10, results.Count(r => r == "ok"));
        Assert.Equal(40, results.Count(r => r == "INSUFFICIENT_POINTS"));
        await using var check = db.ContextA();
        var balance = await check.Balances.SingleAsync(b => b.MemberId == id);
        Assert.Equal((0L, 11L), (balance.Approved, balance.Version));
        Assert.Equal(0, await check.LedgerEntries.Where(e => e.MemberId == id).SumAsync(e => e.Points));
        await AssertBalanceMatchesEntriesAsync(check, id);
    }
}
