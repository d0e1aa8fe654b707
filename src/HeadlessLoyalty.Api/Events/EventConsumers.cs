using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Events;

/// <summary>A consumer cursor with its lag: the program's events positioned after its acknowledged position.</summary>
public sealed record EventConsumerView(string Name, long Position, long Lag, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Durable consumer cursors of the scope's program (<see cref="EventConsumer"/>).</summary>
public static class EventConsumers
{
    /// <summary>
    /// Records that <paramref name="name"/> processed every event up to <paramref name="position"/>. Monotonic: a
    /// lower (or equal) position than the one already acknowledged changes nothing and is not an error (an
    /// at-least-once consumer may acknowledge late, out of order); the consumer is returned as it stands. The first
    /// acknowledgement creates the consumer. Refused: a blank or too long name (INVALID_INPUT <c>consumer</c>), a
    /// negative position (INVALID_INPUT <c>position</c>), a position beyond the log's head (EVENT_POSITION_UNKNOWN).
    /// </summary>
    public static async Task<EventConsumerView> AcknowledgeAsync(LoyaltyDbContext db, TimeProvider clock, string name, long position, CancellationToken ct = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > EventConsumer.MaxNameLength)
            throw new InvalidInputException("consumer", $"A consumer name has 1 to {EventConsumer.MaxNameLength} characters.");
        if (position < 0)
            throw new InvalidInputException("position", "A position is 0 or more.");
        var head = await db.DomainEvents.IgnoreQueryFilters().MaxAsync(e => e.Position, ct) ?? 0;
        if (position > head)
            throw new EventPositionUnknownException(position, head);

        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            // One conditional UPDATE: concurrent acknowledgements can only move the position forward.
            var moved = await db.EventConsumers.Where(c => c.Name == name && c.Position < position)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Position, position).SetProperty(c => c.UpdatedAt, now), ct);
            if (moved > 0 || await db.EventConsumers.AnyAsync(c => c.Name == name, ct))
                break;
            db.EventConsumers.Add(new EventConsumer { Id = Guid.CreateVersion7(), Name = name, Position = position, CreatedAt = now, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException e) when (WriteTransaction.IsUniqueViolation(e) && attempt < 3)
            {
                // Created concurrently by another acknowledgement: go round and move it forward instead.
                db.ChangeTracker.Clear();
            }
        }
        db.ChangeTracker.Clear();
        return (await ListAsync(db, name, ct)).Single();
    }

    /// <summary>The program's consumers by name, each with its lag, in one query.</summary>
    public static Task<List<EventConsumerView>> ListAsync(LoyaltyDbContext db, CancellationToken ct = default) => ListAsync(db, null, ct);

    private static Task<List<EventConsumerView>> ListAsync(LoyaltyDbContext db, string? name, CancellationToken ct)
    {
        var consumers = db.EventConsumers.AsNoTracking();
        if (name is not null)
            consumers = consumers.Where(c => c.Name == name);
        return consumers.OrderBy(c => c.Name)
            .Select(c => new EventConsumerView(c.Name, c.Position, db.DomainEvents.LongCount(e => e.Position > c.Position), c.CreatedAt, c.UpdatedAt))
            .ToListAsync(ct);
    }
}
