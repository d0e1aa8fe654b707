using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Birthdays;

/// <summary>
/// The daily birthday run for one program (the tenant of <paramref name="db"/>): seven days ahead, a
/// <c>birthday.in_7_days</c> event; on the day, the birthday reward (the program's <c>birthday</c> activity rule, when
/// it has an enabled one) and a <c>birthday.today</c> event. Days are the program's, in its time zone. Each notice is
/// marked once per member and year (<see cref="MemberNotice"/>), the reward is an activity award with the year as its
/// reference, so a rerun, a second instance or a run resumed after a crash sends and awards nothing twice.
/// Blocked members get neither.
/// </summary>
public static class BirthdayOperations
{
    public const string BirthdayActivityKey = "birthday";

    public static async Task<int> RunAsync(LoyaltyDbContext db, TimeProvider clock, CancellationToken ct = default)
    {
        var program = await db.CurrentProgramAsync(ct);
        var today = BirthdayRules.Today(clock.GetUtcNow(), ActivityRules.Zone(program.TimeZone));
        var inAWeek = today.AddDays(BirthdayRules.DaysOfNotice);
        var sent = 0;
        foreach (var id in await BornOnAsync(db, today, ct))
            sent += await NoticeAsync(db, clock, id, EventTypes.BirthdayToday, today, reward: true, ct) ? 1 : 0;
        foreach (var id in await BornOnAsync(db, inAWeek, ct))
            sent += await NoticeAsync(db, clock, id, EventTypes.BirthdayIn7Days, inAWeek, reward: false, ct) ? 1 : 0;
        return sent;
    }

    /// <summary>Active members whose birthday falls on <paramref name="date"/> (set-based: by month and day).</summary>
    private static async Task<List<Guid>> BornOnAsync(LoyaltyDbContext db, DateOnly date, CancellationToken ct)
    {
        var ids = new List<Guid>();
        foreach (var (month, day) in BirthdayRules.BornOn(date))
        {
            ids.AddRange(await db.Members.AsNoTracking()
                .Where(m => m.BirthdayMonth == month && m.BirthdayDay == day && m.Status != MemberStatus.Blocked)
                .Select(m => m.Id).ToListAsync(ct));
        }
        return ids;
    }

    private static async Task<bool> NoticeAsync(
        LoyaltyDbContext db, TimeProvider clock, Guid memberId, string kind, DateOnly birthday, bool reward, CancellationToken ct)
    {
        var key = birthday.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (await db.MemberNotices.AnyAsync(n => n.MemberId == memberId && n.Kind == kind && n.Key == key, ct))
            return false;

        // The reward first: an activity award is idempotent by its reference, so a crash before the notice below
        // is committed reruns into a replay, never a second award.
        long points = 0;
        if (reward && await db.ActivityRules.AsNoTracking().AnyAsync(r => r.Key == BirthdayActivityKey && r.Enabled, ct))
        {
            try
            {
                points = (await ActivityOperations.RecordAsync(db, clock, "system:birthdays",
                    new RecordActivityInput(memberId, BirthdayActivityKey, $"birthday-{key}"), ct)).Award.Points;
            }
            catch (LoyaltyException)
            {
                // A limit on the birthday rule, or the member was blocked meanwhile: the greeting still goes out.
            }
        }

        return await WriteTransaction.RunAsync(db, async token =>
        {
            if (await db.MemberNotices.AnyAsync(n => n.MemberId == memberId && n.Kind == kind && n.Key == key, token))
                return false;
            var member = await MemberQueries.GetAsync(db, memberId, token);
            var now = clock.GetUtcNow();
            db.MemberNotices.Add(new MemberNotice { Id = Guid.CreateVersion7(now), MemberId = memberId, Kind = kind, Key = key, RecordedAt = now });
            DomainEvents.Stage(db, kind, memberId, new BirthdayPayload(
                memberId, member.Email, member.FirstName, birthday, member.BirthdayYear is { } born ? birthday.Year - born : null, points), now, now);
            return true;
        }, ct);
    }
}
