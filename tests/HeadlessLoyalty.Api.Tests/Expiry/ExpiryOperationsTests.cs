using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Expiry;

/// <summary>Lots kept by the write path and the set-based expiry run, on real databases.</summary>
public sealed class ExpiryOperationsTests
{
    // 09:00 UTC, 15 January 2026.
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));

    private async Task<Guid> EnrollAsync(TestDatabase db, string email, bool programB = false)
    {
        await using var ctx = programB ? db.ContextB() : db.ContextA();
        return (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput(email))).Member.Id;
    }

    private async Task PostAsync(TestDatabase db, Guid member, LedgerEntryKind kind, long points, bool allowNegative = false, bool programB = false)
    {
        await using var ctx = programB ? db.ContextB() : db.ContextA();
        await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(member, kind, points, AllowNegative: allowNegative));
    }

    private async Task SetPolicyAsync(TestDatabase db, int? validity, int? inactivity, bool programB = false)
    {
        await using var ctx = programB ? db.ContextB() : db.ContextA();
        await ExpiryOperations.UpdatePolicyAsync(ctx, _clock, new ExpirySettings(validity, inactivity));
    }

    private static async Task<List<PointsLot>> LotsAsync(LoyaltyDbContext ctx, Guid member) =>
        (await ctx.PointsLots.AsNoTracking().Where(l => l.MemberId == member).ToListAsync()).OrderBy(l => l.EarnedAt).ThenBy(l => l.Id).ToList();

    /// <summary>The invariants of a member's points: balance = fold of entries, lots = spendable points, every lot point accounted for.</summary>
    private static async Task AssertConsistentAsync(LoyaltyDbContext ctx, Guid member)
    {
        var balance = await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == member);
        var entries = await ctx.LedgerEntries.AsNoTracking().Where(e => e.MemberId == member).ToListAsync();
        Assert.Equal(Ledger.Fold(entries) with { LastUpdatedAt = default }, BalanceState.Of(balance) with { LastUpdatedAt = default });
        var lots = await LotsAsync(ctx, member);
        Assert.All(lots, l => Assert.True(l.Remaining >= 0));
        Assert.Equal(Math.Max(balance.Approved, 0), lots.Sum(l => l.Remaining));
        var taken = (await ctx.LotAllocations.AsNoTracking().Where(a => a.MemberId == member).ToListAsync())
            .GroupBy(a => a.LotId).ToDictionary(g => g.Key, g => g.Sum(a => a.Points));
        Assert.All(lots, l => Assert.Equal(l.Points, l.DebtRepaid + taken.GetValueOrDefault(l.Id) + l.Remaining));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Debits_take_from_the_oldest_lots_first_and_record_the_allocation_and_debt_is_repaid_by_the_next_credit(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var member = await EnrollAsync(db, "fifo@example.com");
        await PostAsync(db, member, LedgerEntryKind.Earn, 100);
        _clock.Advance(TimeSpan.FromDays(1));
        await PostAsync(db, member, LedgerEntryKind.Bonus, 50);
        _clock.Advance(TimeSpan.FromDays(1));
        await PostAsync(db, member, LedgerEntryKind.Redeem, -120);

        await using var ctx = db.ContextA();
        var lots = await LotsAsync(ctx, member);
        Assert.Equal([(100L, 0L), (50L, 30L)], lots.Select(l => (l.Points, l.Remaining)));
        var redeem = await ctx.LedgerEntries.AsNoTracking().SingleAsync(e => e.MemberId == member && e.Kind == LedgerEntryKind.Redeem);
        var allocations = await ctx.LotAllocations.AsNoTracking().Where(a => a.EntryId == redeem.Id).ToListAsync();
        Assert.Equal([(lots[0].Id, 100L), (lots[1].Id, 20L)], allocations.OrderByDescending(a => a.Points).Select(a => (a.LotId, a.Points)));

        // An admin overdraft empties the lots and leaves debt; the next credit repays it first.
        await PostAsync(db, member, LedgerEntryKind.Adjustment, -50, allowNegative: true);
        await PostAsync(db, member, LedgerEntryKind.Adjustment, 45);
        var credit = (await LotsAsync(ctx, member))[^1];
        Assert.Equal((45L, 20L, 25L), (credit.Points, credit.DebtRepaid, credit.Remaining));
        await AssertConsistentAsync(ctx, member);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_purchase_and_its_refund_keep_the_lots_through_the_shared_write_path_even_when_the_refund_floors_the_balance(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var setup = db.ContextA())
            await PurchaseOperations.UpdateSettingsAsync(setup, _clock, new EarningSettings(WelcomeBonusPoints: 20));
        var member = await EnrollAsync(db, "buyer@example.com");
        await using var ctx = db.ContextA();
        await PurchaseOperations.RecordAsync(ctx, _clock, "t",
            new RecordPurchaseInput(member, PurchaseChannel.Online, "shop", null, "o-1", 100m, null, "EUR", null, PurchaseStatus.Completed));
        Assert.Equal([100L, 20L], (await LotsAsync(ctx, member)).Select(l => l.Remaining).OrderDescending());
        await PostAsync(db, member, LedgerEntryKind.Redeem, -110);

        // The full refund takes back 120 with 10 left: the lots empty, and the flooring credit repays the debt.
        await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop", "o-1", null, null, null));

        Assert.All(await LotsAsync(ctx, member), l => Assert.Equal(0, l.Remaining));
        Assert.Equal(0, (await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == member)).Approved);
        await AssertConsistentAsync(ctx, member);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_pending_credit_makes_its_lot_when_approved_and_a_cancelled_one_never(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var member = await EnrollAsync(db, "pending@example.com");
        Guid approved, cancelled;
        await using (var ctx = db.ContextA())
        {
            approved = (await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(member, LedgerEntryKind.Earn, 70, Pending: true))).Entry.Id;
            cancelled = (await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(member, LedgerEntryKind.Earn, 30, Pending: true))).Entry.Id;
            Assert.Empty(await LotsAsync(ctx, member));
            _clock.Advance(TimeSpan.FromDays(30));
            await PointsOperations.ApprovePendingAsync(ctx, _clock, "t", approved);
            await PointsOperations.CancelPendingAsync(ctx, _clock, "t", cancelled);
        }

        await using var check = db.ContextA();
        var lot = Assert.Single(await LotsAsync(check, member));
        Assert.Equal((approved, 70L, _clock.Now), (lot.EntryId!.Value, lot.Remaining, lot.EarnedAt));
        await AssertConsistentAsync(check, member);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Lots_lapse_after_their_validity_once_with_one_entry_and_event_per_member_and_a_rerun_expires_nothing(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await SetPolicyAsync(db, validity: 12, inactivity: null);
        var member = await EnrollAsync(db, "lapse@example.com");
        var untouched = await EnrollAsync(db, "other-program@example.com", programB: true);
        await PostAsync(db, member, LedgerEntryKind.Earn, 100);
        await PostAsync(db, untouched, LedgerEntryKind.Earn, 100, programB: true);
        await SetPolicyAsync(db, validity: 1, inactivity: null, programB: true);
        _clock.Advance(TimeSpan.FromDays(60));
        await PostAsync(db, member, LedgerEntryKind.Earn, 50);
        await PostAsync(db, member, LedgerEntryKind.Redeem, -30);

        await using var ctx = db.ContextA();
        _clock.Now = new DateTimeOffset(2027, 1, 15, 23, 59, 0, TimeSpan.Zero); // the last valid day of the first lot
        Assert.Equal(0, await ExpiryOperations.ExpireAsync(ctx, _clock));
        _clock.Now = new DateTimeOffset(2027, 1, 16, 0, 0, 0, TimeSpan.Zero);
        var versionBefore = (await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == member)).Version;

        Assert.Equal(1, await ExpiryOperations.ExpireAsync(ctx, _clock));
        Assert.Equal(0, await ExpiryOperations.ExpireAsync(ctx, _clock));

        var balance = await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == member);
        Assert.Equal((50L, 70L, 30L, versionBefore + 1), (balance.Approved, balance.Expired, balance.Spent, balance.Version));
        var expire = await ctx.LedgerEntries.AsNoTracking().SingleAsync(e => e.MemberId == member && e.Kind == LedgerEntryKind.Expire);
        Assert.Equal((-70L, ExpirySql.Actor, _clock.Now), (expire.Points, expire.Actor, expire.OccurredAt));
        var allocation = await ctx.LotAllocations.AsNoTracking().SingleAsync(a => a.EntryId == expire.Id);
        Assert.Equal(70L, allocation.Points);
        var e = await ctx.DomainEvents.AsNoTracking().SingleAsync(x => x.Type == EventTypes.PointsExpired);
        Assert.Equal(new PointsExpiredPayload(member, "lapse@example.com", 70, 50, _clock.Now), DomainEvents.Read<PointsExpiredPayload>(e));
        Assert.Equal(member, e.MemberId);
        await AssertConsistentAsync(ctx, member);
        // Program B's policy and member are its own: its run would expire them, A's did not.
        await using var b = db.ContextB();
        Assert.Equal(100L, (await b.Balances.AsNoTracking().SingleAsync(x => x.MemberId == untouched)).Approved);
        Assert.Equal(0L, (await b.LotAllocations.AsNoTracking().CountAsync()));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Warnings_go_out_once_per_member_date_and_threshold_with_the_points_and_date(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await SetPolicyAsync(db, validity: 1, inactivity: null);
        var member = await EnrollAsync(db, "warn@example.com");
        await PostAsync(db, member, LedgerEntryKind.Earn, 40);
        _clock.Advance(TimeSpan.FromHours(2));
        await PostAsync(db, member, LedgerEntryKind.Earn, 60); // same day: same date, one warning
        var lapse = new DateTimeOffset(2026, 2, 16, 0, 0, 0, TimeSpan.Zero);

        await using var ctx = db.ContextA();
        async Task<List<(string Type, PointsExpiringPayload Payload)>> WarningsAsync() =>
            [.. (await ctx.DomainEvents.AsNoTracking().Where(e => e.Type.StartsWith("points.expire_in")).ToListAsync())
                .Select(e => (e.Type, DomainEvents.Read<PointsExpiringPayload>(e))).OrderBy(x => x.Item2.DaysBefore)];

        _clock.Now = lapse.AddDays(-31);
        Assert.Equal(0, await ExpiryOperations.WarnAsync(ctx, _clock));
        _clock.Now = lapse.AddDays(-29);
        Assert.Equal(1, await ExpiryOperations.WarnAsync(ctx, _clock));
        Assert.Equal(0, await ExpiryOperations.WarnAsync(ctx, _clock));
        _clock.Now = lapse.AddDays(-6);
        Assert.Equal(1, await ExpiryOperations.RunAsync(ctx, _clock));
        _clock.Now = lapse.AddDays(-2);
        Assert.Equal(1, await ExpiryOperations.RunAsync(ctx, _clock));
        Assert.Equal(0, await ExpiryOperations.RunAsync(ctx, _clock));

        var warnings = await WarningsAsync();
        Assert.Equal([(EventTypes.PointsExpireIn3Days, 3), (EventTypes.PointsExpireIn7Days, 7), (EventTypes.PointsExpireIn30Days, 30)],
            warnings.Select(w => (w.Type, w.Payload.DaysBefore)));
        Assert.All(warnings, w => Assert.Equal(new PointsExpiringPayload(member, "warn@example.com", 100, lapse, "2026-02-15", w.Payload.DaysBefore, 100), w.Payload));
        Assert.Equal(3, await ctx.MemberNotices.AsNoTracking().CountAsync(n => n.MemberId == member && n.Key == "2026-02-15"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Under_the_inactivity_policy_only_members_without_earning_or_redeeming_lose_everything(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await SetPolicyAsync(db, validity: null, inactivity: 6);
        var idle = await EnrollAsync(db, "idle@example.com");
        var active = await EnrollAsync(db, "active@example.com");
        await PostAsync(db, idle, LedgerEntryKind.Earn, 100);
        await PostAsync(db, active, LedgerEntryKind.Earn, 100);
        _clock.Advance(TimeSpan.FromDays(90));
        await PostAsync(db, idle, LedgerEntryKind.Adjustment, 10);   // done to the member: not activity
        await PostAsync(db, active, LedgerEntryKind.Redeem, -10);    // done by the member

        await using var ctx = db.ContextA();
        _clock.Now = new DateTimeOffset(2026, 7, 15, 23, 0, 0, TimeSpan.Zero); // the last day of the idle member's six months
        Assert.Equal(0, await ExpiryOperations.ExpireAsync(ctx, _clock));
        _clock.Now = new DateTimeOffset(2026, 7, 16, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, await ExpiryOperations.ExpireAsync(ctx, _clock));
        Assert.Equal(0, await ExpiryOperations.ExpireAsync(ctx, _clock));

        var balances = await ctx.Balances.AsNoTracking().Where(b => b.MemberId == idle || b.MemberId == active).ToDictionaryAsync(b => b.MemberId);
        Assert.Equal((0L, 110L), (balances[idle].Approved, balances[idle].Expired));
        Assert.Equal((90L, 0L), (balances[active].Approved, balances[active].Expired));
        await AssertConsistentAsync(ctx, idle);
        await AssertConsistentAsync(ctx, active);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Members_nearing_their_inactivity_deadline_are_warned_once_for_all_their_points(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await SetPolicyAsync(db, validity: null, inactivity: 2);
        var idle = await EnrollAsync(db, "idle-warn@example.com");
        await PostAsync(db, idle, LedgerEntryKind.Earn, 70);
        _clock.Advance(TimeSpan.FromDays(3));
        await PostAsync(db, idle, LedgerEntryKind.Adjustment, 5);
        _clock.Now = new DateTimeOffset(2026, 2, 20, 9, 0, 0, TimeSpan.Zero);
        var active = await EnrollAsync(db, "busy@example.com");
        await PostAsync(db, active, LedgerEntryKind.Earn, 10); // deadline 21 April: more than 30 days after the run
        // Last activity 15 January: everything lapses at the start of 16 March.
        var deadline = new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero);

        await using var ctx = db.ContextA();
        _clock.Now = deadline.AddDays(-6);
        Assert.Equal(1, await ExpiryOperations.WarnAsync(ctx, _clock));
        Assert.Equal(0, await ExpiryOperations.WarnAsync(ctx, _clock));

        var warning = DomainEvents.Read<PointsExpiringPayload>(await ctx.DomainEvents.AsNoTracking().SingleAsync(e => e.Type == EventTypes.PointsExpireIn7Days));
        Assert.Equal(new PointsExpiringPayload(idle, "idle-warn@example.com", 75, deadline, "2026-03-15", 7, 75), warning);
        Assert.Equal([new ExpiringPoints(75, deadline)], (await ExpiryOperations.OutlookAsync(ctx, [idle]))[idle].Lapses);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_outlook_names_the_nearest_lapse_and_the_points_within_a_window(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await SetPolicyAsync(db, validity: 1, inactivity: null);
        var member = await EnrollAsync(db, "outlook@example.com");
        var none = await EnrollAsync(db, "none@example.com");
        await PostAsync(db, member, LedgerEntryKind.Earn, 40);
        _clock.Advance(TimeSpan.FromDays(10));
        await PostAsync(db, member, LedgerEntryKind.Earn, 60);
        await PostAsync(db, member, LedgerEntryKind.Redeem, -10);

        await using var ctx = db.ContextA();
        var outlook = await ExpiryOperations.OutlookAsync(ctx, [member, none]);

        Assert.Equal(new ExpiringPoints(30, new DateTimeOffset(2026, 2, 16, 0, 0, 0, TimeSpan.Zero)), outlook[member].Next);
        Assert.Equal(30, outlook[member].Within(new DateTimeOffset(2026, 2, 20, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(90, outlook[member].Within(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Null(outlook[none].Next);
    }
}
