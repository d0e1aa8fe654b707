using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Tests.TestSupport;
using HeadlessLoyalty.Api.Tiers;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Purchases;

/// <summary>Purchases through the engine on real databases: earning, pending and approval, idempotency, refunds.</summary>
public sealed class PurchaseOperationsTests
{
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private async Task<Guid> EnrollAsync(TestDatabase db, string email = "ann@example.com")
    {
        await using var ctx = db.ContextA();
        return (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput(email))).Member.Id;
    }

    private static RecordPurchaseInput Order(Guid member, string reference, decimal amount, PurchaseStatus status = PurchaseStatus.Completed,
        PurchaseChannel channel = PurchaseChannel.Online, string? store = "shop-1", decimal? subtotal = null) =>
        new(member, channel, store, null, reference, amount, subtotal, "EUR", null, status);

    private static async Task AssertBalanceMatchesEntriesAsync(LoyaltyDbContext ctx, Guid memberId)
    {
        var entries = await ctx.LedgerEntries.AsNoTracking().Where(e => e.MemberId == memberId).ToListAsync();
        var row = await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == memberId);
        Assert.Equal(Ledger.Fold(entries), BalanceState.Of(row) with { LastUpdatedAt = default });
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_completed_purchase_earns_by_the_programs_rules_and_the_first_one_carries_the_welcome_bonus(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.UpdateSettingsAsync(ctx, _clock, new EarningSettings(PointsPerCurrencyUnit: 2m, Rounding: PointsRounding.Nearest, WelcomeBonusPoints: 50));

        var first = await PurchaseOperations.RecordAsync(ctx, _clock, "store:shop-1", Order(id, "1001", 10.25m));
        var second = await PurchaseOperations.RecordAsync(ctx, _clock, "store:shop-1", Order(id, "1002", 5m, channel: PurchaseChannel.Pos, store: "till"));

        Assert.Equal((21L, 50L, false), (first.Purchase.PointsEarned, first.Purchase.WelcomeBonus, first.Replayed)); // 20.5 -> 21
        Assert.Equal((10L, 0L), (second.Purchase.PointsEarned, second.Purchase.WelcomeBonus));
        Assert.Equal((81L, 0L, 81L), (second.Balance.Approved, second.Balance.Pending, second.Balance.Lifetime));
        var entries = (await ctx.LedgerEntries.AsNoTracking().Where(e => e.MemberId == id).ToListAsync()).OrderBy(e => e.Points).ToList();
        Assert.Equal([(LedgerEntryKind.Earn, 10L), (LedgerEntryKind.Earn, 21L), (LedgerEntryKind.Bonus, 50L)], entries.Select(e => (e.Kind, e.Points)));
        Assert.All(entries, e => Assert.Equal(LedgerEntryStatus.Approved, e.Status));
        Assert.Equal(["purchase:pos:till:1002", "purchase:online:shop-1:1001", "purchase:online:shop-1:1001"], entries.Select(e => e.SourceReference));
        Assert.Equal(2, await PurchaseOperations.OfMember(ctx, id).CountAsync()); // one history across channels
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_same_order_sent_again_earns_once_and_another_amount_or_member_is_refused(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var ann = await EnrollAsync(db);
        var bob = await EnrollAsync(db, "bob@example.com");
        await using var ctx = db.ContextA();

        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(ann, "A-1", 40m));
        var again = await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(ann, " A-1 ", 40m));
        var otherAmount = await Assert.ThrowsAsync<PurchaseConflictException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(ann, "A-1", 41m)));
        var otherMember = await Assert.ThrowsAsync<PurchaseConflictException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(bob, "A-1", 40m)));
        // The same reference on another store or channel is another order.
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(ann, "A-1", 40m, store: "shop-2"));
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(ann, "A-1", 40m, channel: PurchaseChannel.Pos));

        Assert.True(again.Replayed);
        Assert.Equal(40L, again.Balance.Approved);
        Assert.Equal(("PURCHASE_CONFLICT", "orderReference"), (otherAmount.Code, otherAmount.Field));
        Assert.Equal("PURCHASE_CONFLICT", otherMember.Code);
        Assert.Equal(120L, (await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == ann)).Approved);
        Assert.Equal(3, await ctx.Purchases.CountAsync());
        await AssertBalanceMatchesEntriesAsync(ctx, ann);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_deliveries_of_one_order_credit_once(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var ctx = db.ContextA();
            await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "race-1", 25m));
        }));

        await using var check = db.ContextA();
        Assert.Equal(1, await check.Purchases.CountAsync());
        Assert.Equal(25L, (await check.Balances.AsNoTracking().SingleAsync(b => b.MemberId == id)).Approved);
        await AssertBalanceMatchesEntriesAsync(check, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Points_stay_pending_until_completion_and_the_return_window_then_the_approval_run_approves_them_once(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.UpdateSettingsAsync(ctx, _clock, new EarningSettings(WelcomeBonusPoints: 5, PendingDays: 14));

        var placed = await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "P-1", 30m, PurchaseStatus.Pending));
        _clock.Advance(TimeSpan.FromDays(2));
        var completed = await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "P-1", 30m));
        _clock.Advance(TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1));
        var early = await PurchaseOperations.ApproveDueAsync(ctx, _clock);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var due = await PurchaseOperations.ApproveDueAsync(ctx, _clock);
        var rerun = await PurchaseOperations.ApproveDueAsync(ctx, _clock);

        Assert.Equal((0L, 35L, (DateTimeOffset?)null), (placed.Balance.Approved, placed.Balance.Pending, placed.Purchase.ApprovalDueAt));
        Assert.False(completed.Replayed);
        Assert.Equal(_clock.Now, completed.Purchase.ApprovalDueAt);
        Assert.Equal((0, 1, 0), (early, due, rerun));
        var balance = await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == id);
        Assert.Equal((35L, 0L, 35L), (balance.Approved, balance.Pending, balance.Lifetime));
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Partial_refunds_take_back_a_proportional_share_and_the_full_refund_takes_the_welcome_bonus_too(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.UpdateSettingsAsync(ctx, _clock, new EarningSettings(WelcomeBonusPoints: 20));
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "R-1", 30m)); // 30 points + 20 bonus

        var longReference = new string('r', 200); // with channel, store and order the key outgrows its column: hashed
        var firstThird = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "R-1", 10m, longReference, null));
        var replay = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "R-1", 10m, longReference, null));
        var rest = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "R-1", null, null, null));
        var again = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "R-1", null, null, null));

        Assert.Equal(10L, firstThird.PointsTakenBack);
        Assert.Equal(firstThird, replay);
        Assert.Equal(20L + 20L, rest.PointsTakenBack);
        Assert.Equal((0L, 30m, 50L), (rest.Balance.Approved, rest.Purchase.RefundedAmount, rest.Purchase.PointsReversed));
        Assert.Equal(0L, rest.Balance.Lifetime); // buying and refunding does not climb tiers
        Assert.Equal(0L, again.PointsTakenBack);
        Assert.Equal(0L, again.Balance.Approved);
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_refund_of_spent_points_floors_the_balance_at_zero_while_the_ledger_records_the_full_deduction(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "S-1", 100m));
        await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Redeem, -70, "coupon"));

        var refund = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "S-1", null, null, null));

        Assert.Equal(100L, refund.PointsTakenBack);
        Assert.Equal((0L, 0L, 70L), (refund.Balance.Approved, refund.Balance.Lifetime, refund.Balance.Spent)); // the floor line is not earning
        var reversals = await ctx.LedgerEntries.AsNoTracking().Where(e => e.Kind == LedgerEntryKind.Reversal).Select(e => e.Points).ToListAsync();
        Assert.Equal([-100L, 70L], reversals.OrderBy(p => p));
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_refund_before_the_points_settle_cancels_them_and_keeps_the_rest_pending(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.UpdateSettingsAsync(ctx, _clock, new EarningSettings(PendingDays: 30));
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "W-1", 40m));

        var partial = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "W-1", 10m, "r1", null));
        _clock.Advance(TimeSpan.FromDays(30));
        await PurchaseOperations.ApproveDueAsync(ctx, _clock);

        Assert.Equal((0L, 30L), (partial.Balance.Approved, partial.Balance.Pending));
        var balance = await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == id);
        Assert.Equal((30L, 0L), (balance.Approved, balance.Pending));
        Assert.Equal(1, await ctx.LedgerEntries.CountAsync(e => e.Status == LedgerEntryStatus.Cancelled));
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_current_tiers_multiplier_applies_to_every_channel(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        ctx.Tiers.Add(new Tier { Id = Guid.NewGuid(), Name = "Gold", Rank = 1, Threshold = 100, EarningMultiplier = 1.5m });
        await ctx.SaveChangesAsync();
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "T-1", 100m)); // reaches Gold

        var online = await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "T-2", 10m));
        var pos = await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "T-3", 10m, channel: PurchaseChannel.Pos, store: "till"));

        Assert.Equal((15L, 15L), (online.Purchase.PointsEarned, pos.Purchase.PointsEarned));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Bad_input_is_refused_with_the_field_named_and_nothing_is_recorded(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();

        var currency = await Assert.ThrowsAsync<CurrencyMismatchException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "X", 5m) with { Currency = "usd" }));
        var amount = await Assert.ThrowsAsync<InvalidInputException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "X", -1m)));
        var reference = await Assert.ThrowsAsync<InvalidInputException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, " ", 5m)));
        var unknown = await Assert.ThrowsAsync<MemberNotFoundException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(Guid.NewGuid(), "X", 5m)));
        var settings = await Assert.ThrowsAsync<InvalidInputException>(() => PurchaseOperations.UpdateSettingsAsync(ctx, _clock, new EarningSettings(PointsPerCurrencyUnit: 0)));
        var decimals = await Assert.ThrowsAsync<InvalidInputException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "X", 10.00005m)));
        var subtotal = await Assert.ThrowsAsync<InvalidInputException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "X", 10m, subtotal: 11m)));
        var future = await Assert.ThrowsAsync<InvalidInputException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "X", 10m) with { OccurredAt = DateTimeOffset.MaxValue }));
        var ancient = await Assert.ThrowsAsync<InvalidInputException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "X", 10m) with { OccurredAt = DateTimeOffset.MinValue }));
        var notFound = await Assert.ThrowsAsync<PurchaseNotFoundException>(() => PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "nope", null, null, null)));

        Assert.Equal(("CURRENCY_MISMATCH", "currency"), (currency.Code, currency.Field));
        Assert.Equal("amount", amount.Field);
        Assert.Equal("orderReference", reference.Field);
        Assert.Equal("MEMBER_NOT_FOUND", unknown.Code);
        Assert.Equal("pointsPerCurrencyUnit", settings.Field);
        Assert.Equal("PURCHASE_NOT_FOUND", notFound.Code);
        Assert.Equal(("amount", "subtotal", "occurredAt", "occurredAt"), (decimals.Field, subtotal.Field, future.Field, ancient.Field));
        Assert.Equal(0, await ctx.Purchases.CountAsync());
        Assert.Equal(EarningSettings.Default, await PurchaseOperations.GetSettingsAsync(ctx));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_blocked_member_earns_nothing_but_a_refund_still_takes_points_back(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "B-1", 20m));
        await MemberOperations.BlockAsync(ctx, _clock, "t", id);

        var blocked = await Assert.ThrowsAsync<MemberBlockedException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "B-2", 20m)));
        var refund = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "B-1", null, null, null));

        Assert.Equal("MEMBER_BLOCKED", blocked.Code);
        Assert.Equal((20L, 0L), (refund.PointsTakenBack, refund.Balance.Approved));
        Assert.Equal(1, await ctx.Purchases.CountAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_partial_refund_of_a_blocked_members_pending_purchase_keeps_the_rest_pending(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "BP-1", 40m, PurchaseStatus.Pending));
        await MemberOperations.BlockAsync(ctx, _clock, "t", id);

        var refund = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "BP-1", 10m, "r1", null));

        Assert.Equal((10L, 0L, 30L), (refund.PointsTakenBack, refund.Balance.Approved, refund.Balance.Pending));
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_partial_refunds_all_count_even_when_they_move_no_points(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using (var setup = db.ContextA())
        {
            await PurchaseOperations.UpdateSettingsAsync(setup, _clock, new EarningSettings(PointsPerCurrencyUnit: 0.001m)); // 100 -> 0 points
            await PurchaseOperations.RecordAsync(setup, _clock, "t", Order(id, "C-1", 100m));
        }

        await Task.WhenAll(new[] { (60m, "r-60"), (40m, "r-40") }.Select(async refund =>
        {
            await using var ctx = db.ContextA();
            await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "C-1", refund.Item1, refund.Item2, null));
        }));

        await using var check = db.ContextA();
        Assert.Equal(100m, (await check.Purchases.AsNoTracking().SingleAsync()).RefundedAmount);
        var nothingLeft = await Assert.ThrowsAsync<InvalidInputException>(() =>
            PurchaseOperations.ReverseAsync(check, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "C-1", 1m, "r-1", null)));
        Assert.Equal("refundAmount", nothingLeft.Field);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Completing_a_blocked_members_purchase_is_recorded_and_its_points_wait_for_the_unblock(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "BC-1", 25m, PurchaseStatus.Pending));
        await MemberOperations.BlockAsync(ctx, _clock, "t", id);

        var completed = await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "BC-1", 25m));
        var whileBlocked = await PurchaseOperations.ApproveDueAsync(ctx, _clock);
        await MemberOperations.UnblockAsync(ctx, _clock, "t", id);
        var afterUnblock = await PurchaseOperations.ApproveDueAsync(ctx, _clock);

        Assert.Equal((PurchaseStatus.Completed, (DateTimeOffset?)_clock.Now, 25L), (completed.Purchase.Status, completed.Purchase.ApprovalDueAt, completed.Balance.Pending));
        Assert.Equal((0, 1), (whileBlocked, afterUnblock));
        Assert.Equal(25L, (await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == id)).Approved);
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_order_without_an_amount_carries_no_welcome_bonus_and_the_first_real_one_does(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.UpdateSettingsAsync(ctx, _clock, new EarningSettings(WelcomeBonusPoints: 50));

        var sample = await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "Z-0", 0m));
        var first = await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "Z-1", 10m));

        Assert.Equal((0L, 0L), (sample.Purchase.PointsEarned, sample.Purchase.WelcomeBonus));
        Assert.Equal((10L, 50L), (first.Purchase.PointsEarned, first.Purchase.WelcomeBonus));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Refunds_of_orders_whose_references_contain_the_separator_do_not_share_a_key(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "c", 10m, store: "a:b"));
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "b:c", 10m, store: "a"));

        var one = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "a:b", "c", 5m, "r", null));
        var other = await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "a", "b:c", 5m, "r", null));

        Assert.Equal(("c", "b:c"), (one.Purchase.OrderReference, other.Purchase.OrderReference));
        Assert.Equal((5m, 5m), (one.Purchase.RefundedAmount, other.Purchase.RefundedAmount));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Purchases_and_rules_of_one_program_are_invisible_to_another(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using (var a = db.ContextA())
        {
            await PurchaseOperations.UpdateSettingsAsync(a, _clock, new EarningSettings(PointsPerCurrencyUnit: 3m));
            await PurchaseOperations.RecordAsync(a, _clock, "t", Order(id, "A-9", 10m));
        }
        await using var b = db.ContextB();

        Assert.Equal(EarningSettings.Default, await PurchaseOperations.GetSettingsAsync(b));
        Assert.Equal(0, await b.Purchases.CountAsync());
        await Assert.ThrowsAsync<PurchaseNotFoundException>(() => PurchaseOperations.ReverseAsync(b, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop-1", "A-9", null, null, null)));
        await Assert.ThrowsAsync<MemberNotFoundException>(() => PurchaseOperations.RecordAsync(b, _clock, "t", Order(id, "B-9", 10m)));
    }
}
