using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Tiers;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Points;

/// <summary>
/// Points writes: append one <see cref="LedgerEntry"/> and change the member's <see cref="PointsBalance"/> in the
/// same transaction, through the pure <see cref="Ledger"/> rules. The balance's <c>Version</c> token makes a
/// concurrent writer's save fail; <see cref="WriteTransaction"/> then re-reads and re-applies the rule, so 50
/// concurrent debits against a balance that affords 10 give 10 successes and 40 INSUFFICIENT_POINTS.
/// Every approved credit also makes a <see cref="PointsLot"/> and every debit takes from the lots first-in-first-out
/// (<see cref="LotOperations"/>), so every producer (purchases, activities, rewards, birthdays) keeps lots for expiry;
/// and every approved balance change passes through <see cref="RewardEligibility"/> (points.eligible_for_reward).
/// Every approved balance change is also reported by an event (what the Shopify metafield sync follows): points.earned,
/// points.redeemed, points.expired, order.reversed by their producers, and points.adjusted for the rest (Adjustment
/// entries here; the caller names the cause of any other, e.g. a checkout discount's points returned).
/// </summary>
public static class PointsOperations
{
    public const string AdjustOperation = "adjustPoints";
    public const string PostOperation = "postPoints";

    /// <summary>An admin's signed adjustment. The idempotency key is required (IDEMPOTENCY_KEY_REQUIRED); a reason too.</summary>
    public static async Task<PointsChangePayload> AdjustAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, AdjustPointsInput input, string? idempotencyKey, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(input.Reason))
            throw new InvalidInputException("reason", "An adjustment needs a reason.");
        var post = new PostPointsInput(input.MemberId, LedgerEntryKind.Adjustment, input.Points, input.Reason.Trim(), AllowNegative: input.AllowNegative);
        return await Idempotent.RunAsync(db, clock, AdjustOperation, idempotencyKey, keyRequired: true, input,
            token => StagePostAsync(db, clock, actor, post, idempotencyKey, token), ct);
    }

    /// <summary>Posts one entry of any kind (earn, bonus, redeem, expire, reversal); the key is optional.</summary>
    public static async Task<PointsChangePayload> PostAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, PostPointsInput input, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var status = input.Pending ? LedgerEntryStatus.Pending : LedgerEntryStatus.Approved;
        Ledger.Validate(input.Kind, input.Points, status, input.Reason);
        if (input.SourceReference is { Length: > Ledger.MaxSourceReferenceLength })
            throw new InvalidInputException("sourceReference", $"Source reference must be at most {Ledger.MaxSourceReferenceLength} characters.");
        return await Idempotent.RunAsync(db, clock, PostOperation, idempotencyKey, keyRequired: false, input,
            token => StagePostAsync(db, clock, actor, input, idempotencyKey, token), ct);
    }

    /// <summary>Approves a pending credit: it becomes spendable and counts toward lifetime points.</summary>
    public static Task<PointsChangePayload> ApprovePendingAsync(LoyaltyDbContext db, TimeProvider clock, string actor, Guid entryId, CancellationToken ct = default) =>
        SettleAsync(db, clock, entryId, approve: true, ct);

    /// <summary>Cancels a pending credit (e.g. its order was refunded before it settled).</summary>
    public static Task<PointsChangePayload> CancelPendingAsync(LoyaltyDbContext db, TimeProvider clock, string actor, Guid entryId, CancellationToken ct = default) =>
        SettleAsync(db, clock, entryId, approve: false, ct);

    /// <summary>
    /// Stages one entry and its balance change inside the caller's <see cref="WriteTransaction"/> attempt (no save).
    /// <paramref name="replacesPendingCredit"/>: the entry re-posts what is left of a pending credit just cancelled (a
    /// partial refund before approval), which a blocked member keeps like the original. <paramref name="adjustmentCause"/>:
    /// the entry is a balance change no other event reports, so it stages points.adjusted with this cause
    /// (<see cref="PointsAdjustedCauses"/>); an Adjustment entry always does (cause <c>admin</c> unless given).
    /// </summary>
    internal static async Task<PointsChangePayload> StagePostAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, PostPointsInput input, string? idempotencyKey, CancellationToken ct,
        bool replacesPendingCredit = false, string? adjustmentCause = null)
    {
        Ledger.Validate(input.Kind, input.Points, input.Pending ? LedgerEntryStatus.Pending : LedgerEntryStatus.Approved, input.Reason);
        var now = clock.GetUtcNow();
        var member = await MemberQueries.GetAsync(db, input.MemberId, ct);
        // A blocked member neither earns nor spends; taking back what a refunded order earned, or expiring, still applies.
        if (member.Status == MemberStatus.Blocked && input.Kind is not (LedgerEntryKind.Reversal or LedgerEntryKind.Expire) && !replacesPendingCredit)
            throw new MemberBlockedException(member.Id);
        var balance = await LoadBalanceAsync(db, member.Id, now, ct);
        var status = input.Pending ? LedgerEntryStatus.Pending : LedgerEntryStatus.Approved;
        var approvedBefore = balance.Approved;
        Ledger.Apply(BalanceState.Of(balance), input.Kind, input.Points, status, input.AllowNegative, now).CopyTo(balance);
        if (ExpiryRules.IsQualifyingActivity(input.Kind) && (balance.LastActivityAt is not { } last || last < now))
            balance.LastActivityAt = now;
        var entry = new LedgerEntry
        {
            Id = Guid.CreateVersion7(now),
            MemberId = member.Id,
            Kind = input.Kind,
            Status = status,
            Points = input.Points,
            Reason = input.Reason,
            Actor = actor,
            SourceReference = input.SourceReference,
            IdempotencyKey = idempotencyKey,
            OccurredAt = input.OccurredAt ?? now,
            RecordedAt = now,
        };
        db.LedgerEntries.Add(entry);
        if (status == LedgerEntryStatus.Approved)
        {
            if (entry.Points > 0)
                await LotOperations.StageCreditAsync(db, entry, approvedBefore, now, ct);
            else
                await LotOperations.StageDebitAsync(db, entry, now, ct);
            StagePointsEarned(db, member, entry, balance, now);
            if ((adjustmentCause ?? (entry.Kind == LedgerEntryKind.Adjustment ? PointsAdjustedCauses.Admin : null)) is { } cause)
                DomainEvents.Stage(db, EventTypes.PointsAdjusted, member.Id, new PointsAdjustedPayload(
                    member.Id, member.Email, entry.Points, balance.Approved, cause, entry.Reason, entry.SourceReference), now, now);
            // Credits that count as earned (as lifetime points count them) may cross a tier threshold.
            if (entry.Points > 0 && entry.Kind != LedgerEntryKind.Reversal)
                await TierMembership.StageQualifyingChangeAsync(db, clock, member.Id, TierMetric.PointsEarned, ct);
        }
        await RewardEligibility.StageIfCrossedAsync(db, member, approvedBefore, balance.Approved, now, ct);
        return new PointsChangePayload(LedgerEntryView.Of(entry), BalanceView.Of(balance));
    }

    private static Task<PointsChangePayload> SettleAsync(LoyaltyDbContext db, TimeProvider clock, Guid entryId, bool approve, CancellationToken ct) =>
        WriteTransaction.RunAsync(db, token => StageSettleAsync(db, clock, entryId, approve, token), ct);

    /// <summary>Stages approving or cancelling a pending entry inside the caller's <see cref="WriteTransaction"/> attempt (no save).</summary>
    internal static async Task<PointsChangePayload> StageSettleAsync(LoyaltyDbContext db, TimeProvider clock, Guid entryId, bool approve, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var entry = await db.LedgerEntries.FirstOrDefaultAsync(e => e.Id == entryId, ct)
            ?? throw new LedgerEntryNotFoundException(entryId);
        if (entry.Status != LedgerEntryStatus.Pending)
            throw new LedgerEntryNotPendingException(entryId, entry.Status);
        var member = await MemberQueries.GetAsync(db, entry.MemberId, ct);
        // Approving lets a blocked member earn; cancelling only removes points they could not spend anyway.
        if (approve && member.Status == MemberStatus.Blocked)
            throw new MemberBlockedException(member.Id);
        var balance = await LoadBalanceAsync(db, member.Id, now, ct);
        var state = BalanceState.Of(balance);
        var approvedBefore = balance.Approved;
        if (approve)
            await LotOperations.StageCreditAsync(db, entry, state.Approved, now, ct);
        (approve ? Ledger.Approve(state, entry.Points, now) : Ledger.Cancel(state, entry.Points, now)).CopyTo(balance);
        entry.Status = approve ? LedgerEntryStatus.Approved : LedgerEntryStatus.Cancelled;
        if (approve)
        {
            StagePointsEarned(db, member, entry, balance, now);
            if (entry.Kind != LedgerEntryKind.Reversal)
                await TierMembership.StageQualifyingChangeAsync(db, clock, member.Id, TierMetric.PointsEarned, ct);
        }
        await RewardEligibility.StageIfCrossedAsync(db, member, approvedBefore, balance.Approved, now, ct);
        return new PointsChangePayload(LedgerEntryView.Of(entry), BalanceView.Of(balance));
    }

    /// <summary>points.earned, when an earned or bonus credit becomes spendable (at once, or when its pending entry is approved).</summary>
    private static void StagePointsEarned(LoyaltyDbContext db, Member member, LedgerEntry entry, PointsBalance balance, DateTimeOffset now)
    {
        if (entry.Kind is not (LedgerEntryKind.Earn or LedgerEntryKind.Bonus) || entry.Points <= 0)
            return;
        DomainEvents.Stage(db, EventTypes.PointsEarned, member.Id, new PointsEarnedPayload(
            member.Id, member.Email, entry.Points, balance.Approved, entry.Kind.ToString(), entry.Reason, entry.SourceReference), now, now);
    }

    /// <summary>
    /// Tracked, so SaveChanges checks the Version it was read with. A missing row (pre-ledger data) starts at zero.
    /// An attempt that stages several entries for one member (a purchase and its welcome bonus) keeps changing the
    /// same tracked row, including one it has just added.
    /// </summary>
    internal static async Task<PointsBalance> LoadBalanceAsync(LoyaltyDbContext db, Guid memberId, DateTimeOffset now, CancellationToken ct)
    {
        var balance = db.Balances.Local.FirstOrDefault(b => b.MemberId == memberId)
            ?? await db.Balances.FirstOrDefaultAsync(b => b.MemberId == memberId, ct);
        if (balance is null)
        {
            balance = new PointsBalance { MemberId = memberId, LastUpdatedAt = now };
            db.Balances.Add(balance);
        }
        return balance;
    }
}
