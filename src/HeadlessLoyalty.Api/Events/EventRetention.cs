using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// The <c>event-retention</c> job: deletes the scope's program's positioned events recorded more than
/// <c>Events:RetentionDays</c> ago. It deletes a prefix of the program's log by position (every event up to the
/// highest position of an expired one), so what remains is every event after <see cref="EventRetentionMark.DeletedThrough"/>
/// and a cursor at or above the mark has missed nothing; a cursor below it gets EVENTS_CURSOR_EXPIRED. The event
/// holding the whole log's head is never deleted: the sequencer numbers from the highest position left.
/// </summary>
public static class EventRetention
{
    public static Task<int> RunAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        // The job signature carries no options: read them from the app's services the context was built with.
        var days = db.GetService<IOptions<EventsOptions>>().Value.RetentionDays;
        return RunAsync(db, clock, days, ct);
    }

    public static async Task<int> RunAsync(LoyaltyDbContext db, TimeProvider clock, int retentionDays, CancellationToken ct)
    {
        if (retentionDays <= 0)
            throw new InvalidOperationException($"Events:RetentionDays must be positive, was {retentionDays}.");
        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(retentionDays);
        return await WriteTransaction.RunAsync(db, async token =>
        {
            var through = await db.DomainEvents.Where(e => e.Position != null && e.RecordedAt < cutoff).MaxAsync(e => e.Position, token);
            if (through is not { } last)
                return 0;
            var head = await db.DomainEvents.IgnoreQueryFilters().MaxAsync(e => e.Position, token) ?? 0;
            var deleted = await db.DomainEvents.Where(e => e.Position <= last && e.Position < head).ExecuteDeleteAsync(token);
            if (deleted == 0)
                return 0;
            var mark = await db.EventRetentionMarks.FirstOrDefaultAsync(token);
            if (mark is null)
                db.EventRetentionMarks.Add(mark = new EventRetentionMark());
            // The head's own event stays, so the mark stops below it.
            mark.DeletedThrough = Math.Max(mark.DeletedThrough, Math.Min(last, head - 1));
            mark.UpdatedAt = clock.GetUtcNow();
            return deleted;
        }, ct);
    }
}
