using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Points;

public enum HistoryOrder { NewestFirst, OldestFirst }

/// <summary>History filters: kinds/statuses (null or empty = all), OccurredAt in [From, To).</summary>
public sealed record HistoryFilter(
    IReadOnlyCollection<LedgerEntryKind>? Kinds = null, IReadOnlyCollection<LedgerEntryStatus>? Statuses = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, HistoryOrder Order = HistoryOrder.NewestFirst);

public static class LedgerQueries
{
    /// <summary>A member's entries, filtered and ordered (Id breaks ties: v7 ids follow recording order), for paging.</summary>
    public static IQueryable<LedgerEntry> History(LoyaltyDbContext db, Guid memberId, HistoryFilter filter)
    {
        var q = db.LedgerEntries.AsNoTracking().Where(e => e.MemberId == memberId);
        if (filter.Kinds is { Count: > 0 } kinds)
            q = q.Where(e => kinds.Contains(e.Kind));
        if (filter.Statuses is { Count: > 0 } statuses)
            q = q.Where(e => statuses.Contains(e.Status));
        if (filter.From is { } from)
            q = q.Where(e => e.OccurredAt >= from);
        if (filter.To is { } to)
            q = q.Where(e => e.OccurredAt < to);
        return filter.Order == HistoryOrder.OldestFirst
            ? q.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            : q.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id);
    }
}
