using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Segments;

/// <summary>
/// The <c>segments</c> job for one program (the tenant of the context): segments move with time alone (a Loyal member
/// is At Risk N days after their last purchase, with no write at all), so this run classifies every member again with
/// <see cref="SegmentRules.Classify"/> (through <see cref="SegmentOperations.SegmentsAsync(LoyaltyDbContext, SegmentSettings, DateTimeOffset, IReadOnlyCollection{Guid}, CancellationToken)"/>,
/// the same grouped queries as <c>Member.segment</c>), records each change in <see cref="MemberSegment"/> and stages
/// one <c>member.updated</c> per change in the same transaction.
/// <para>
/// Bounded: members in batches of <see cref="BatchSize"/> by member number, a handful of queries per batch whatever
/// its size, each batch its own transaction. Idempotent: a member whose recorded segment is the computed one is not
/// touched, so a rerun changes and emits nothing. Resumable: a run stopped half way has committed whole batches;
/// the next run recomputes everything and finds those already recorded. Two runs at once: the row's version token
/// makes the later writer retry its batch, which then finds the change recorded.
/// </para>
/// <para>
/// Every member is classified, blocked and opted-out ones included: the segment describes purchases, not rights, and
/// <c>Member.segment</c> shows it for them too; the event's <c>status</c> lets a consumer leave them out.
/// </para>
/// </summary>
public static class SegmentRefresh
{
    public const int BatchSize = 500;

    /// <summary>Classifies every member of the program; returns how many segment changes it recorded.</summary>
    public static Task<int> RunAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default) =>
        RunAsync(db, clock, BatchSize, ct);

    /// <summary>The same with another batch size (tests cross batch boundaries with a few members).</summary>
    internal static async Task<int> RunAsync(LoyaltyDbContext db, TimeProvider clock, int batchSize, CancellationToken ct = default)
    {
        // One rule set and one instant for the whole run: every member is judged against the same thresholds and time.
        var settings = await SegmentOperations.GetSettingsAsync(db, ct);
        var now = clock.GetUtcNow();
        var changed = 0;
        long after = 0;
        while (true)
        {
            var batch = await db.Members.AsNoTracking()
                .Where(m => m.MemberNumber > after)
                .OrderBy(m => m.MemberNumber)
                .Select(m => new { m.Id, m.MemberNumber })
                .Take(batchSize)
                .ToListAsync(ct);
            if (batch.Count == 0)
                return changed;
            var ids = batch.Select(m => m.Id).ToList();
            changed += await RefreshBatchAsync(db, clock, settings, now, ids, ct);
            after = batch[^1].MemberNumber;
        }
    }

    private static Task<int> RefreshBatchAsync(
        LoyaltyDbContext db, TimeProvider clock, SegmentSettings settings, DateTimeOffset now, List<Guid> ids, CancellationToken ct) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            // Inside the attempt: a retried batch classifies fresh data.
            var segments = await SegmentOperations.SegmentsAsync(db, settings, now, ids, token);
            var recorded = await db.MemberSegments.Where(s => ids.Contains(s.MemberId)).ToDictionaryAsync(s => s.MemberId, token);
            var changes = ids
                .Where(id => segments[id] != (recorded.TryGetValue(id, out var row) ? row.Segment : null))
                .ToList();
            if (changes.Count == 0)
                return 0;

            var members = await db.Members.AsNoTracking().Where(m => changes.Contains(m.Id)).ToDictionaryAsync(m => m.Id, token);
            var recordedAt = clock.GetUtcNow();
            foreach (var id in changes)
            {
                var to = segments[id];
                Segment? from = null;
                if (recorded.TryGetValue(id, out var row))
                {
                    from = row.Segment;
                    (row.Segment, row.Since) = (to, now);
                    row.Version++;
                }
                else
                {
                    db.MemberSegments.Add(new MemberSegment { MemberId = id, Segment = to, Since = now });
                }
                var m = members[id];
                DomainEvents.Stage(db, EventTypes.MemberUpdated, id,
                    new MemberEventPayload(m.Id, m.Email, m.FirstName, m.LastName, m.MemberCode, m.Status.ToString())
                    {
                        ChangedFields = ["segment"],
                        Segment = new SegmentChangePayload(from?.ToString(), to?.ToString()),
                    }, now, recordedAt);
            }
            return changes.Count;
        }, ct);
}
