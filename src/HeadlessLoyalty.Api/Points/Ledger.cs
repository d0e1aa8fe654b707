using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Points;

/// <summary>The numbers of a balance, without identity or concurrency token: what the pure rules work on.</summary>
public sealed record BalanceState(long Approved, long Pending, long Spent, long Expired, long Lifetime, DateTimeOffset LastUpdatedAt)
{
    public static BalanceState Empty(DateTimeOffset at) => new(0, 0, 0, 0, 0, at);

    public static BalanceState Of(PointsBalance b) => new(b.Approved, b.Pending, b.Spent, b.Expired, b.Lifetime, b.LastUpdatedAt);

    /// <summary>Writes the numbers back and bumps <see cref="PointsBalance.Version"/>, so a concurrent writer's save fails.</summary>
    public void CopyTo(PointsBalance b)
    {
        b.Approved = Approved;
        b.Pending = Pending;
        b.Spent = Spent;
        b.Expired = Expired;
        b.Lifetime = Lifetime;
        b.LastUpdatedAt = LastUpdatedAt;
        b.Version++;
    }
}

/// <summary>
/// The pure points rules: no database, no clock. Every change to a balance goes through here, and the balance
/// always equals <see cref="Fold"/> of the member's entries.
/// <list type="bullet">
/// <item>A credit (positive points) is Approved (spendable, counts toward Lifetime) or Pending (not spendable yet).</item>
/// <item>A debit (negative points) is always Approved; Redeem debits add to Spent, Expire debits to Expired.</item>
/// <item>A debit may not take Approved below zero (INSUFFICIENT_POINTS) unless <c>allowNegative</c> is set (an
/// admin override); then Approved may go negative, and later credits pay the debt first.</item>
/// <item>A pending credit is approved (moves Pending to Approved and Lifetime) or cancelled (leaves Pending).</item>
/// <item>Reversals undo earning: a Reversal debit (a refund taking points back) lowers Lifetime too (a plain
/// difference, so the fold stays independent of entry order), and buying then refunding cannot climb tiers; a Reversal credit (the line that floors a refund at zero when the points
/// were already spent) restores spendable points only and leaves Lifetime alone.</item>
/// </list>
/// </summary>
public static class Ledger
{
    /// <summary>Largest absolute points of one entry: keeps sums far from overflow.</summary>
    public const long MaxPointsPerEntry = 1_000_000_000;
    public const int MaxReasonLength = 500;
    public const int MaxSourceReferenceLength = 200;

    /// <summary>Checks the shape of a new entry; throws INVALID_INPUT naming the field.</summary>
    public static void Validate(LedgerEntryKind kind, long points, LedgerEntryStatus status, string? reason)
    {
        if (points == 0)
            throw new InvalidInputException("points", "Points must not be zero.");
        if (points is > MaxPointsPerEntry or < -MaxPointsPerEntry)
            throw new InvalidInputException("points", $"Points must be between -{MaxPointsPerEntry} and {MaxPointsPerEntry}.");
        if (reason is { Length: > MaxReasonLength })
            throw new InvalidInputException("reason", $"Reason must be at most {MaxReasonLength} characters.");
        if (kind is LedgerEntryKind.Redeem or LedgerEntryKind.Expire && points > 0)
            throw new InvalidInputException("points", $"A {kind} entry must be negative.");
        if (kind is LedgerEntryKind.Earn or LedgerEntryKind.Bonus && points < 0)
            throw new InvalidInputException("points", $"A {kind} entry must be positive.");
        if (status == LedgerEntryStatus.Cancelled)
            throw new InvalidInputException("status", "A new entry cannot be cancelled.");
        if (status == LedgerEntryStatus.Pending && points < 0)
            throw new InvalidInputException("status", "Only credits can be pending; debits apply at once.");
    }

    /// <summary>Applies a new entry (validated with <see cref="Validate"/>) to a balance.</summary>
    public static BalanceState Apply(BalanceState b, LedgerEntryKind kind, long points, LedgerEntryStatus status, bool allowNegative, DateTimeOffset at)
    {
        Validate(kind, points, status, reason: null);
        if (points > 0)
            return status == LedgerEntryStatus.Pending
                ? b with { Pending = b.Pending + points, LastUpdatedAt = at }
                : b with { Approved = b.Approved + points, Lifetime = kind == LedgerEntryKind.Reversal ? b.Lifetime : b.Lifetime + points, LastUpdatedAt = at };

        var amount = -points;
        if (b.Approved - amount < 0 && !allowNegative)
            throw new InsufficientPointsException(Math.Max(b.Approved, 0), amount);
        return b with
        {
            Approved = b.Approved - amount,
            Spent = kind == LedgerEntryKind.Redeem ? b.Spent + amount : b.Spent,
            Expired = kind == LedgerEntryKind.Expire ? b.Expired + amount : b.Expired,
            Lifetime = kind == LedgerEntryKind.Reversal ? b.Lifetime - amount : b.Lifetime,
            LastUpdatedAt = at,
        };
    }

    /// <summary>A pending credit becomes spendable.</summary>
    public static BalanceState Approve(BalanceState b, long pendingPoints, DateTimeOffset at) =>
        b with { Pending = b.Pending - pendingPoints, Approved = b.Approved + pendingPoints, Lifetime = b.Lifetime + pendingPoints, LastUpdatedAt = at };

    /// <summary>A pending credit is dropped (e.g. the order was refunded before it settled).</summary>
    public static BalanceState Cancel(BalanceState b, long pendingPoints, DateTimeOffset at) =>
        b with { Pending = b.Pending - pendingPoints, LastUpdatedAt = at };

    /// <summary>The balance the entries imply: what the materialized row must always equal (timestamp aside).</summary>
    public static BalanceState Fold(IEnumerable<LedgerEntry> entries)
    {
        var b = BalanceState.Empty(default);
        foreach (var e in entries)
        {
            b = e.Status switch
            {
                LedgerEntryStatus.Cancelled => b,
                LedgerEntryStatus.Pending => b with { Pending = b.Pending + e.Points },
                _ => Apply(b, e.Kind, e.Points, LedgerEntryStatus.Approved, allowNegative: true, default),
            };
        }
        return b;
    }
}
