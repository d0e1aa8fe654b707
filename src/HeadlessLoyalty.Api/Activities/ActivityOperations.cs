using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Activities;

/// <summary>
/// Earning activities: an admin configures a rule per activity key; <see cref="RecordAsync"/> awards its points as a
/// Bonus ledger entry and an <see cref="ActivityAward"/> row in one transaction, idempotent per (key, member,
/// reference) and within the rule's limits. Awards for one member serialize through the balance row's concurrency
/// token: a concurrent award makes this attempt's save fail, <see cref="WriteTransaction"/> re-reads the awards and
/// applies the limits again, so concurrent awards never exceed a limit.
/// </summary>
public static class ActivityOperations
{
    /// <summary>How far ahead of the server clock an activity may be dated (client clock skew); later ones are refused.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);
    public static readonly DateTimeOffset EarliestOccurredAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The program's rules, by key.</summary>
    public static async Task<IReadOnlyList<ActivityRuleView>> GetRulesAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        (await db.ActivityRules.AsNoTracking().OrderBy(r => r.Key).ToListAsync(ct)).Select(ActivityRuleView.Of).ToList();

    /// <summary>Creates or replaces the rule with the input's key (INVALID_INPUT naming the field when a value is bad).</summary>
    public static Task<ActivityRuleView> UpsertRuleAsync(LoyaltyDbContext db, TimeProvider clock, ActivityRuleInput input, CancellationToken ct = default)
    {
        var key = ActivityRules.Validate(input);
        return WriteTransaction.RunAsync(db, async token =>
        {
            var now = clock.GetUtcNow();
            var rule = await db.ActivityRules.FirstOrDefaultAsync(r => r.Key == key, token);
            if (rule is null)
                db.ActivityRules.Add(rule = new ActivityRule { Id = Guid.CreateVersion7(now), Key = key, Type = input.Type });
            rule.CopyFrom(input, now);
            return ActivityRuleView.Of(rule);
        }, ct);
    }

    /// <summary>
    /// Awards an activity. The same (key, member, reference) sent again returns the first award unchanged (Replayed),
    /// even if the rule has since been disabled or its limit reached. Otherwise refuses an unknown or disabled key
    /// (ACTIVITY_NOT_FOUND), an unknown member (MEMBER_NOT_FOUND), a blocked one (MEMBER_BLOCKED) and a full window
    /// (ACTIVITY_LIMIT_REACHED).
    /// </summary>
    public static async Task<RecordActivityPayload> RecordAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, RecordActivityInput input, CancellationToken ct = default)
    {
        var (key, reference) = Validate(input);
        if (input.OccurredAt is { } early && early < EarliestOccurredAt)
            throw new InvalidInputException("occurredAt", $"An activity is dated {EarliestOccurredAt:yyyy-MM-dd} or later.");
        if (input.OccurredAt is { } given && given > clock.GetUtcNow() + MaxFutureSkew)
            throw new InvalidInputException("occurredAt", "An activity cannot be dated in the future.");
        var program = await db.CurrentProgramAsync(ct);
        var zone = ActivityRules.Zone(program.TimeZone);

        return await WriteTransaction.RunAsync(db, async token =>
        {
            var now = clock.GetUtcNow();
            var existing = await db.ActivityAwards.AsNoTracking()
                .FirstOrDefaultAsync(a => a.RuleKey == key && a.MemberId == input.MemberId && a.Reference == reference, token);
            if (existing is not null)
                return new RecordActivityPayload(ActivityAwardView.Of(existing), await BalanceAsync(db, existing.MemberId, token), Replayed: true);

            var rule = await db.ActivityRules.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, token);
            if (rule is not { Enabled: true })
                throw new ActivityNotFoundException(key);
            var member = await MemberQueries.GetAsync(db, input.MemberId, token);
            if (member.Status == MemberStatus.Blocked)
                throw new MemberBlockedException(member.Id);

            var occurredAt = input.OccurredAt ?? now;
            // Balance first, awards second: an award committed after this read bumps the balance's Version, so this
            // attempt's save fails and reruns; one committed before it is in the awards read below. Either way the
            // limit sees it (read committed is enough).
            await PointsOperations.LoadBalanceAsync(db, member.Id, now, token);
            var previous = await PreviousAwardsAsync(db, rule, member.Id, occurredAt, token);
            if (ActivityRules.LimitReached(rule, previous, occurredAt, zone) is { } window)
                throw new ActivityLimitReachedException(key, window);

            var posted = await PointsOperations.StagePostAsync(db, clock, actor, new PostPointsInput(
                member.Id, LedgerEntryKind.Bonus, rule.Points, $"Activity: {key}", SourceReference($"activity:{key}:{reference}"),
                OccurredAt: occurredAt), null, token);
            var award = new ActivityAward
            {
                Id = Guid.CreateVersion7(now),
                MemberId = member.Id,
                RuleKey = key,
                Reference = reference,
                Points = rule.Points,
                EntryId = posted.Entry.Id,
                OccurredAt = occurredAt,
                RecordedAt = now,
            };
            db.ActivityAwards.Add(award);
            return new RecordActivityPayload(ActivityAwardView.Of(award), posted.Balance, Replayed: false);
        }, ct);
    }

    /// <summary>The member's awards of every activity, newest first.</summary>
    public static IQueryable<ActivityAward> OfMember(LoyaltyDbContext db, Guid memberId) =>
        db.ActivityAwards.AsNoTracking().Where(a => a.MemberId == memberId).OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id);

    /// <summary>
    /// When the member earned this rule before. Without a lifetime limit only awards near <paramref name="occurredAt"/>
    /// can share a window with it: a month plus the widest UTC offsets on either side.
    /// </summary>
    private static async Task<IReadOnlyList<DateTimeOffset>> PreviousAwardsAsync(
        LoyaltyDbContext db, ActivityRule rule, Guid memberId, DateTimeOffset occurredAt, CancellationToken ct)
    {
        if (rule is { DailyLimit: null, WeeklyLimit: null, MonthlyLimit: null, LifetimeLimit: null })
            return [];
        var awards = db.ActivityAwards.AsNoTracking().Where(a => a.RuleKey == rule.Key && a.MemberId == memberId);
        if (rule.LifetimeLimit is null)
        {
            var (from, to) = (occurredAt.AddDays(-33), occurredAt.AddDays(33));
            awards = awards.Where(a => a.OccurredAt >= from && a.OccurredAt <= to);
        }
        return await awards.Select(a => a.OccurredAt).ToListAsync(ct);
    }

    private static async Task<BalanceView> BalanceAsync(LoyaltyDbContext db, Guid memberId, CancellationToken ct) =>
        await MemberQueries.BalanceAsync(db, memberId, ct) is { } balance ? BalanceView.Of(balance) : new BalanceView(memberId, 0, 0, 0, 0, 0, default, 0);

    private static string SourceReference(string s) => s.Length <= Ledger.MaxSourceReferenceLength ? s : s[..Ledger.MaxSourceReferenceLength];

    private static (string Key, string Reference) Validate(RecordActivityInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Key))
            throw new InvalidInputException("key", "The activity key is required.");
        if (input.Key.Trim().Length > ActivityRules.MaxKeyLength)
            throw new InvalidInputException("key", $"An activity key is at most {ActivityRules.MaxKeyLength} characters.");
        if (string.IsNullOrWhiteSpace(input.Reference))
            throw new InvalidInputException("reference", "The activity reference is required (e.g. the review's id).");
        var reference = input.Reference.Trim();
        if (reference.Length > ActivityRules.MaxReferenceLength)
            throw new InvalidInputException("reference", $"The activity reference must be at most {ActivityRules.MaxReferenceLength} characters.");
        return (input.Key.Trim(), reference);
    }
}
