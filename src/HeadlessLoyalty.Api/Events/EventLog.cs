using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// Reading the durable event log of the scope's program (the context's tenant filter applies). Positions are global
/// across programs, so a program's positions have gaps; they only ever grow, and an event never appears below a
/// position a reader has already passed (see <see cref="EventSequencer"/>).
/// <code>
/// // Catch up from a cursor, then wait for more (subscriptions, webhook dispatch):
/// var known = wakeups.Head;
/// var page = await EventLog.ReadAsync(db, cursor, 100, types, memberId, ct);
/// if (page.Count &gt; 0) cursor = page[^1].Position!.Value; else await wakeups.WaitAsync(known, ct);
/// </code>
/// </summary>
public static class EventLog
{
    /// <summary>
    /// Up to <paramref name="max"/> positioned events with a position greater than <paramref name="after"/> (0: from
    /// the oldest retained), in position order; filtered by type (null or empty: all) and member (null: all). Read
    /// untracked. Does not check retention: a reader resuming a cursor uses <see cref="ReadRetainedAsync"/>.
    /// </summary>
    public static async Task<IReadOnlyList<DomainEvent>> ReadAsync(LoyaltyDbContext db, long after, int max,
        IReadOnlyCollection<string>? types, Guid? memberId, CancellationToken ct = default)
    {
        var query = db.DomainEvents.AsNoTracking().Where(e => e.Position > after);
        if (types is { Count: > 0 })
            query = query.Where(e => types.Contains(e.Type));
        if (memberId is { } member)
            query = query.Where(e => e.MemberId == member);
        return await query.OrderBy(e => e.Position).Take(Math.Max(0, max)).ToListAsync(ct);
    }

    /// <summary>
    /// <see cref="ReadAsync"/> from a cursor a reader resumes, then <see cref="EnsureCursorRetainedAsync"/> for that cursor:
    /// in this order, because retention deletes and moves its mark in one transaction, so a read that raced a deletion
    /// (and may lack deleted events) always sees the mark afterwards. What every cursor reader (catch-up, replay) uses.
    /// </summary>
    public static async Task<IReadOnlyList<DomainEvent>> ReadRetainedAsync(LoyaltyDbContext db, long after, int max,
        IReadOnlyCollection<string>? types, Guid? memberId, CancellationToken ct = default)
    {
        var page = await ReadAsync(db, after, max, types, memberId, ct);
        await EnsureCursorRetainedAsync(db, after, ct);
        return page;
    }

    /// <summary>The highest position of the scope's program (0 when it has no positioned event).</summary>
    public static async Task<long> HeadAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        await db.DomainEvents.Where(e => e.Position != null).MaxAsync(e => e.Position, ct) ?? 0;

    /// <summary>
    /// The highest position retention deleted for the scope's program (0: none): a cursor below it may have missed
    /// events (see <see cref="EventRetention"/>). Read it AFTER the page, like <see cref="EnsureCursorRetainedAsync"/>.
    /// </summary>
    public static async Task<long> DeletedThroughAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        await db.EventRetentionMarks.AsNoTracking().Select(m => (long?)m.DeletedThrough).FirstOrDefaultAsync(ct) ?? 0;

    /// <summary>
    /// Throws <see cref="EventCursorExpiredException"/> when <paramref name="after"/> is below the highest position
    /// retention deleted for the scope's program (events after the cursor may be gone). Call it when resuming a
    /// cursor (catch-up reads, a subscription's replay) AFTER reading the page: retention deletes and moves the mark in
    /// one transaction, so checking after the read catches a read that raced a deletion. 0 means "from the oldest
    /// retained" and never expires.
    /// </summary>
    public static async Task EnsureCursorRetainedAsync(LoyaltyDbContext db, long after, CancellationToken ct = default)
    {
        if (after <= 0)
            return;
        var deletedThrough = await DeletedThroughAsync(db, ct);
        if (after < deletedThrough)
            throw new EventCursorExpiredException(after, deletedThrough);
    }
}
