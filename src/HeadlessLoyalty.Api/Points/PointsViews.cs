namespace HeadlessLoyalty.Api.Points;

public sealed record BalanceView(Guid MemberId, long Approved, long Pending, long Spent, long Expired, long Lifetime, DateTimeOffset LastUpdatedAt, long Version)
{
    public long Total => Approved + Pending;

    public static BalanceView Of(PointsBalance b) => new(b.MemberId, b.Approved, b.Pending, b.Spent, b.Expired, b.Lifetime, b.LastUpdatedAt, b.Version);
}

public sealed record LedgerEntryView(
    Guid Id, Guid MemberId, LedgerEntryKind Kind, LedgerEntryStatus Status, long Points, string? Reason, string Actor,
    string? SourceReference, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt)
{
    public static LedgerEntryView Of(LedgerEntry e) => new(
        e.Id, e.MemberId, e.Kind, e.Status, e.Points, e.Reason, e.Actor, e.SourceReference, e.OccurredAt, e.RecordedAt);
}

/// <summary>An admin's signed change. <see cref="AllowNegative"/> lets a debit overdraw: resolvers allow it to admins only.</summary>
public sealed record AdjustPointsInput(Guid MemberId, long Points, string Reason, bool AllowNegative = false);

/// <summary>The general entry point for engines (earn rules, redemptions, expiry): one entry of any kind.</summary>
public sealed record PostPointsInput(
    Guid MemberId, LedgerEntryKind Kind, long Points, string? Reason = null, string? SourceReference = null,
    bool Pending = false, bool AllowNegative = false, DateTimeOffset? OccurredAt = null);

public sealed record PointsChangePayload(LedgerEntryView Entry, BalanceView Balance);
