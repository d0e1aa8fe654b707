using System.Security.Cryptography;
using System.Text;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Referrals;
using HeadlessLoyalty.Api.Tiers;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Purchases;

/// <summary>
/// Purchases feed the ledger through the program's <see cref="EarningSettings"/>: one row per (channel, store, order
/// reference), its points and welcome bonus as ledger entries in the same transaction. Points stay pending until the
/// purchase completes and its return window (pending days) has passed; refunds take back a proportional share.
/// </summary>
public static class PurchaseOperations
{
    public const string ReverseOperation = "reversePurchase";
    public const int MaxReferenceLength = 200;
    /// <summary>Largest order amount accepted, far below decimal(18,4)'s range.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    public static Task<EarningSettings> GetSettingsAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        db.EarningRules.ReadOrDefaultAsync(r => r.ToSettings(), EarningSettings.Default, ct);

    /// <summary>Replaces the program's earning rules (INVALID_INPUT naming the field when a value is out of range).</summary>
    public static Task<EarningSettings> UpdateSettingsAsync(LoyaltyDbContext db, TimeProvider clock, EarningSettings settings, CancellationToken ct = default)
    {
        EarningRules.Validate(settings);
        return WriteTransaction.RunAsync(db, async token =>
        {
            var row = await db.EarningRules.TrackedOrNewAsync(() => new ProgramEarningRules(), token);
            row.CopyFrom(settings, clock.GetUtcNow());
            return settings;
        }, ct);
    }

    /// <summary>
    /// Records a purchase and earns its points; idempotent per (channel, store, order reference). Sending a recorded
    /// order again returns it unchanged (Replayed), except that Pending -> Completed completes it (the return window
    /// starts). The same order with another member or amount is refused (PURCHASE_CONFLICT), as is a currency other
    /// than the program's (CURRENCY_MISMATCH) and a blocked member (MEMBER_BLOCKED).
    /// </summary>
    public static async Task<RecordPurchasePayload> RecordAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, RecordPurchaseInput input, CancellationToken ct = default)
    {
        var storeId = Validate(input, clock.GetUtcNow());
        var lines = PurchaseLineRules.Normalize(input.Lines);
        var program = await db.CurrentProgramAsync(ct);
        if (!string.Equals(input.Currency.Trim(), program.Currency, StringComparison.OrdinalIgnoreCase))
            throw new CurrencyMismatchException(input.Currency.Trim().ToUpperInvariant(), program.Currency);
        var settings = await GetSettingsAsync(db, ct);

        return await WriteTransaction.RunAsync(db, async token =>
        {
            var now = clock.GetUtcNow();
            var existing = await FindAsync(db, input.Channel, storeId, input.OrderReference, token);
            if (existing is not null)
                return await ReplayOrCompleteAsync(db, clock, actor, existing, input, settings, now, token);

            var member = await MemberQueries.GetAsync(db, input.MemberId, token);
            if (member.Status == MemberStatus.Blocked)
                throw new MemberBlockedException(member.Id);
            var multiplier = await TierMembership.MultiplierAsync(db, member.Id, input.Channel, token);
            var points = EarningRules.PointsFor(EarningRules.BaseAmount(input.Amount, input.Subtotal, settings), settings, multiplier);
            // The welcome bonus goes with the member's first purchase that has an amount: an order of nothing (a free
            // sample) neither carries it nor uses it up.
            var firstPurchase = input.Amount > 0 && !await db.Purchases.AnyAsync(p => p.MemberId == member.Id && p.Amount > 0, token);
            var bonus = firstPurchase ? settings.WelcomeBonusPoints : 0;
            var completed = input.Status == PurchaseStatus.Completed;
            var completedAt = completed ? input.OccurredAt ?? now : (DateTimeOffset?)null;
            // Approved at once only for a completed purchase without a return window.
            var pending = !completed || settings.PendingDays > 0;

            var purchase = new Purchase
            {
                Id = Guid.CreateVersion7(now),
                MemberId = member.Id,
                Channel = input.Channel,
                StoreId = storeId,
                LocationId = Trimmed(input.LocationId),
                OrderReference = input.OrderReference.Trim(),
                Amount = input.Amount,
                Subtotal = input.Subtotal,
                Currency = program.Currency,
                Status = input.Status,
                OccurredAt = input.OccurredAt ?? now,
                CompletedAt = completedAt,
                ApprovalDueAt = completedAt is { } done && pending ? EarningRules.ApprovalDueAt(done, settings) : null,
                PointsApprovedAt = pending ? null : now,
                PointsEarned = points,
                WelcomeBonus = bonus,
                RecordedAt = now,
                Lines = lines,
            };
            var source = SourceReference(purchase);
            if (points > 0)
                purchase.EarnEntryId = (await PointsOperations.StagePostAsync(db, clock, actor, new PostPointsInput(
                    member.Id, LedgerEntryKind.Earn, points, $"Purchase {purchase.OrderReference}", source, pending, OccurredAt: purchase.OccurredAt), null, token)).Entry.Id;
            if (bonus > 0)
                purchase.BonusEntryId = (await PointsOperations.StagePostAsync(db, clock, actor, new PostPointsInput(
                    member.Id, LedgerEntryKind.Bonus, bonus, "Welcome bonus (first purchase)", source, pending, OccurredAt: purchase.OccurredAt), null, token)).Entry.Id;
            db.Purchases.Add(purchase);
            // Spend counts whatever the channel: crossing a threshold upgrades in this transaction.
            await TierMembership.StageQualifyingChangeAsync(db, clock, member.Id, TierMetric.Spend, token);
            if (purchase.PointsApprovedAt is not null)
                await ReferralOperations.StageQualifyingPurchaseAsync(db, clock, purchase, token);
            var balance = await BalanceAfterAsync(db, member.Id, token);
            DomainEvents.Stage(db, EventTypes.OrderAwarded, member.Id, new OrderAwardedPayload(
                member.Id, member.Email, purchase.Channel.ToString(), NullIfEmpty(purchase.StoreId), purchase.OrderReference, purchase.Amount,
                purchase.Currency, points, bonus, pending, balance.Approved), purchase.OccurredAt, now);
            return new RecordPurchasePayload(PurchaseView.Of(purchase), balance, Replayed: false);
        }, ct);
    }

    private static async Task<RecordPurchasePayload> ReplayOrCompleteAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, Purchase existing, RecordPurchaseInput input, EarningSettings settings,
        DateTimeOffset now, CancellationToken ct)
    {
        if (existing.MemberId != input.MemberId)
            throw new PurchaseConflictException(existing.OrderReference, "member");
        if (existing.Amount != input.Amount)
            throw new PurchaseConflictException(existing.OrderReference, "amount");
        var replayed = true;
        if (existing.Status == PurchaseStatus.Pending && input.Status == PurchaseStatus.Completed)
        {
            replayed = false;
            existing.Status = PurchaseStatus.Completed;
            existing.CompletedAt = now;
            existing.ApprovalDueAt = EarningRules.ApprovalDueAt(now, settings);
            existing.Version++;
            // Completion is always recorded; a blocked member's points wait for the approval run after the unblock.
            var member = await MemberQueries.GetAsync(db, existing.MemberId, ct);
            if (settings.PendingDays == 0 && member.Status != MemberStatus.Blocked)
                await ApproveStagedAsync(db, clock, existing, now, ct);
        }
        return new RecordPurchasePayload(PurchaseView.Of(existing), await BalanceAfterAsync(db, existing.MemberId, ct), replayed);
    }

    /// <summary>
    /// Approves the pending points of every purchase whose return window has passed; returns how many purchases it
    /// approved. Each purchase is its own transaction, so a failure (a blocked member) leaves the others approved and
    /// that one pending for the next run; a rerun finds nothing left to do.
    /// </summary>
    public static async Task<int> ApproveDueAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var due = await db.Purchases.AsNoTracking()
            .Where(p => p.PointsApprovedAt == null && p.ApprovalDueAt != null && p.ApprovalDueAt <= now)
            .Select(p => p.Id).ToListAsync(ct);
        var approved = 0;
        foreach (var id in due)
        {
            try
            {
                approved += await WriteTransaction.RunAsync(db, async token =>
                {
                    var purchase = await db.Purchases.FirstAsync(p => p.Id == id, token);
                    if (purchase.PointsApprovedAt is not null)
                        return 0;
                    await ApproveStagedAsync(db, clock, purchase, clock.GetUtcNow(), token);
                    return 1;
                }, ct);
            }
            catch (MemberBlockedException)
            {
                // Stays pending: approved after the member is unblocked, on a later run.
            }
        }
        return approved;
    }

    private static async Task ApproveStagedAsync(LoyaltyDbContext db, TimeProvider clock, Purchase purchase, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var entryId in new[] { purchase.EarnEntryId, purchase.BonusEntryId })
        {
            if (entryId is { } id && await IsPendingAsync(db, id, ct))
                await PointsOperations.StageSettleAsync(db, clock, id, approve: true, ct);
        }
        purchase.PointsApprovedAt = now;
        purchase.Version++;
        // A referred friend's first qualifying purchase rewards the referral once its points are approved.
        await ReferralOperations.StageQualifyingPurchaseAsync(db, clock, purchase, ct);
    }

    /// <summary>
    /// A full or partial refund. Takes back the purchase's points in proportion to the amount refunded (cumulatively,
    /// so partial refunds that add up to the total take back exactly what was earned), and the welcome bonus once the
    /// refund is full. Pending points are cancelled (the rest stays pending); approved points are reversed, and when the
    /// balance cannot cover them it floors at zero: the ledger records the full deduction and a compensating line.
    /// Idempotent per refund reference; a full refund of an already fully refunded purchase changes nothing.
    /// </summary>
    public static async Task<ReversePurchasePayload> ReverseAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, ReversePurchaseInput input, CancellationToken ct = default)
    {
        var storeId = Trimmed(input.StoreId) ?? "";
        if (string.IsNullOrWhiteSpace(input.OrderReference))
            throw new InvalidInputException("orderReference", "The order reference is required.");
        if (input.RefundAmount is <= 0)
            throw new InvalidInputException("refundAmount", "A refund amount must be positive (leave it out to refund everything left).");
        if (input.RefundAmount is { } given && !HasAtMostFourDecimals(given))
            throw new InvalidInputException("refundAmount", "A refund amount has at most 4 decimals.");
        if (input.Reason is { Length: > Ledger.MaxReasonLength })
            throw new InvalidInputException("reason", $"Reason must be at most {Ledger.MaxReasonLength} characters.");
        if (input.RefundReference is { Length: > MaxReferenceLength })
            throw new InvalidInputException("refundReference", $"The refund reference must be at most {MaxReferenceLength} characters.");
        var key = input.RefundReference is { Length: > 0 } reference ? RefundKey(input.Channel, storeId, input.OrderReference.Trim(), reference) : null;

        return await Idempotent.RunAsync(db, clock, ReverseOperation, key, keyRequired: false, input, async token =>
        {
            var now = clock.GetUtcNow();
            var purchase = await FindAsync(db, input.Channel, storeId, input.OrderReference, token)
                ?? throw new PurchaseNotFoundException(input.OrderReference.Trim());
            var left = purchase.Amount - purchase.RefundedAmount;
            var refund = input.RefundAmount ?? left;
            if (refund <= 0)
            {
                // Nothing left to refund: a full refund sent again.
                return new ReversePurchasePayload(PurchaseView.Of(purchase), await BalanceAfterAsync(db, purchase.MemberId, token), 0);
            }
            if (refund > left)
                throw new InvalidInputException("refundAmount", $"Only {left} of the purchase is left to refund.");

            var full = EarningRules.IsFullRefund(purchase.Amount, purchase.RefundedAmount, refund);
            var points = purchase.PointsEarned == 0 ? 0 : EarningRules.ReversalPoints(purchase.PointsEarned, purchase.Amount, purchase.RefundedAmount, refund);
            var reason = input.Reason?.Trim() is { Length: > 0 } given ? given : full ? "Refund of the whole order" : $"Partial refund of {refund} {purchase.Currency}";
            var source = SourceReference(purchase);
            var takenBack = 0L;

            if (points > 0 && purchase.EarnEntryId is { } earnId)
            {
                if (await IsPendingAsync(db, earnId, token))
                {
                    // Not spendable yet: cancel it and keep the rest pending, due when the original was.
                    await PointsOperations.StageSettleAsync(db, clock, earnId, approve: false, token);
                    var rest = purchase.PointsEarned - purchase.PointsReversed - points;
                    purchase.EarnEntryId = rest > 0
                        ? (await PointsOperations.StagePostAsync(db, clock, actor, new PostPointsInput(
                            purchase.MemberId, LedgerEntryKind.Earn, rest, $"Purchase {purchase.OrderReference} after a partial refund", source,
                            Pending: true, OccurredAt: purchase.OccurredAt), null, token, replacesPendingCredit: true)).Entry.Id
                        : null;
                }
                else
                {
                    await StageFlooredReversalAsync(db, clock, actor, purchase.MemberId, points, reason, source, now, token);
                }
                takenBack += points;
            }
            if (full && purchase.BonusEntryId is { } bonusId)
            {
                if (await IsPendingAsync(db, bonusId, token))
                    await PointsOperations.StageSettleAsync(db, clock, bonusId, approve: false, token);
                else
                    await StageFlooredReversalAsync(db, clock, actor, purchase.MemberId, purchase.WelcomeBonus, "Welcome bonus taken back (first purchase refunded)", source, now, token);
                takenBack += purchase.WelcomeBonus;
            }

            purchase.RefundedAmount += refund;
            purchase.PointsReversed += takenBack;
            purchase.Version++;
            var balance = await BalanceAfterAsync(db, purchase.MemberId, token);
            var member = await MemberQueries.GetAsync(db, purchase.MemberId, token);
            DomainEvents.Stage(db, EventTypes.OrderReversed, member.Id, new OrderReversedPayload(
                member.Id, member.Email, purchase.Channel.ToString(), NullIfEmpty(purchase.StoreId), purchase.OrderReference, refund,
                purchase.RefundedAmount, full, takenBack, balance.Approved, purchase.Currency), now, now);
            return new ReversePurchasePayload(PurchaseView.Of(purchase), balance, takenBack);
        }, ct);
    }

    /// <summary>
    /// Debits <paramref name="points"/> as a Reversal; when the approved balance cannot cover them the ledger still
    /// records the full deduction, followed by a compensating Reversal credit, so the balance stops at zero (or stays
    /// where an earlier admin overdraft left it) and always equals the sum of the entries.
    /// </summary>
    private static async Task StageFlooredReversalAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, Guid memberId, long points, string reason, string source, DateTimeOffset now, CancellationToken ct)
    {
        var balance = await PointsOperations.LoadBalanceAsync(db, memberId, now, ct);
        var covered = Math.Min(points, Math.Max(balance.Approved, 0));
        await PointsOperations.StagePostAsync(db, clock, actor, new PostPointsInput(
            memberId, LedgerEntryKind.Reversal, -points, reason, source, AllowNegative: true), null, ct);
        if (points - covered > 0)
            await PointsOperations.StagePostAsync(db, clock, actor, new PostPointsInput(
                memberId, LedgerEntryKind.Reversal, points - covered, "Balance floored at zero: the refund took back more than was left", source), null, ct);
    }

    /// <summary>The member's purchases across channels and stores, newest first.</summary>
    public static IQueryable<Purchase> OfMember(LoyaltyDbContext db, Guid memberId) =>
        db.Purchases.AsNoTracking().Where(p => p.MemberId == memberId).OrderByDescending(p => p.OccurredAt).ThenByDescending(p => p.Id);

    private static Task<Purchase?> FindAsync(LoyaltyDbContext db, PurchaseChannel channel, string storeId, string orderReference, CancellationToken ct)
    {
        var reference = orderReference.Trim();
        return db.Purchases.FirstOrDefaultAsync(p => p.Channel == channel && p.StoreId == storeId && p.OrderReference == reference, ct);
    }

    private static async Task<bool> IsPendingAsync(LoyaltyDbContext db, Guid entryId, CancellationToken ct) =>
        (db.LedgerEntries.Local.FirstOrDefault(e => e.Id == entryId) ?? await db.LedgerEntries.FirstOrDefaultAsync(e => e.Id == entryId, ct))
        ?.Status == LedgerEntryStatus.Pending;

    /// <summary>The balance as this attempt leaves it (its staged row, else the stored one), without creating a row.</summary>
    private static async Task<BalanceView> BalanceAfterAsync(LoyaltyDbContext db, Guid memberId, CancellationToken ct) =>
        (db.Balances.Local.FirstOrDefault(b => b.MemberId == memberId) ?? await MemberQueries.BalanceAsync(db, memberId, ct)) is { } balance
            ? BalanceView.Of(balance)
            : new BalanceView(memberId, 0, 0, 0, 0, 0, default, 0);

    private static string SourceReference(Purchase p) =>
        $"purchase:{p.Channel.ToString().ToLowerInvariant()}:{p.StoreId}:{p.OrderReference}" is var s && s.Length <= Ledger.MaxSourceReferenceLength
            ? s : s[..Ledger.MaxSourceReferenceLength];

    /// <summary>
    /// The idempotency key of one refund: the SHA-256 of its parts, each prefixed by its length, so parts that contain
    /// the separator cannot make two refunds share a key (store "a:b" + order "c" is not store "a" + order "b:c").
    /// </summary>
    internal static string RefundKey(PurchaseChannel channel, string storeId, string orderReference, string refundReference) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{channel}|{storeId.Length}:{storeId}|{orderReference.Length}:{orderReference}|{refundReference.Length}:{refundReference}")));

    private static bool HasAtMostFourDecimals(decimal value) => decimal.Round(value, 4) == value;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Checks the shape of the input; returns the normalized store id ("" when none).</summary>
    private static readonly DateTimeOffset EarliestOccurredAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);

    private static string Validate(RecordPurchaseInput input, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(input.OrderReference))
            throw new InvalidInputException("orderReference", "The order reference is required.");
        if (input.OrderReference.Trim().Length > MaxReferenceLength)
            throw new InvalidInputException("orderReference", $"The order reference must be at most {MaxReferenceLength} characters.");
        var storeId = Trimmed(input.StoreId) ?? "";
        if (storeId.Length > MaxReferenceLength)
            throw new InvalidInputException("storeId", $"The store id must be at most {MaxReferenceLength} characters.");
        if (Trimmed(input.LocationId) is { Length: > MaxReferenceLength })
            throw new InvalidInputException("locationId", $"The location id must be at most {MaxReferenceLength} characters.");
        if (input.Amount is < 0 or > MaxAmount || !HasAtMostFourDecimals(input.Amount))
            throw new InvalidInputException("amount", $"The amount must be between 0 and {MaxAmount}, with at most 4 decimals.");
        if (input.Subtotal is { } subtotal && (subtotal < 0 || subtotal > input.Amount || !HasAtMostFourDecimals(subtotal)))
            throw new InvalidInputException("subtotal", "The subtotal must be between 0 and the amount, with at most 4 decimals.");
        if (input.OccurredAt is { } at && (at < EarliestOccurredAt || at > now + MaxFutureSkew))
            throw new InvalidInputException("occurredAt", $"A purchase is dated between {EarliestOccurredAt:yyyy-MM-dd} and now.");
        if (string.IsNullOrWhiteSpace(input.Currency) || input.Currency.Trim().Length != 3)
            throw new InvalidInputException("currency", "The currency must be an ISO 4217 code such as USD.");
        return storeId;
    }
}
