using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Activities;

/// <summary>Activities through the engine on real databases: rules, awards, idempotency, limits, refusals, races.</summary>
public sealed class ActivityOperationsTests
{
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private async Task<Guid> EnrollAsync(TestDatabase db, string email = "ann@example.com")
    {
        await using var ctx = db.ContextA();
        return (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput(email))).Member.Id;
    }

    private static async Task AssertBalanceMatchesEntriesAsync(LoyaltyDbContext ctx, Guid memberId)
    {
        var entries = await ctx.LedgerEntries.AsNoTracking().Where(e => e.MemberId == memberId).ToListAsync();
        var row = await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == memberId);
        Assert.Equal(Ledger.Fold(entries), BalanceState.Of(row) with { LastUpdatedAt = default });
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_activity_awards_its_points_as_a_bonus_entry_and_the_same_reference_again_earns_nothing(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        await ActivityOperations.UpsertRuleAsync(ctx, _clock, new ActivityRuleInput(ActivityType.Review, null, 25, Description: "Review a product"));

        var first = await ActivityOperations.RecordAsync(ctx, _clock, "pos:till-1", new RecordActivityInput(id, "review", " rev-1 "));
        _clock.Advance(TimeSpan.FromMinutes(5));
        var again = await ActivityOperations.RecordAsync(ctx, _clock, "pos:till-1", new RecordActivityInput(id, "review", "rev-1"));
        var other = await ActivityOperations.RecordAsync(ctx, _clock, "pos:till-1", new RecordActivityInput(id, "review", "rev-2"));

        Assert.Equal(("review", "rev-1", 25L, false), (first.Award.Key, first.Award.Reference, first.Award.Points, first.Replayed));
        Assert.Equal((25L, 25L), (first.Balance.Approved, first.Balance.Lifetime));
        Assert.True(again.Replayed);
        Assert.Equal(first.Award, again.Award);
        Assert.Equal(25L, again.Balance.Approved);
        Assert.Equal(50L, other.Balance.Approved);
        var entries = await ctx.LedgerEntries.AsNoTracking().Where(e => e.MemberId == id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([(LedgerEntryKind.Bonus, LedgerEntryStatus.Approved, 25L, "Activity: review", "activity:review:rev-1", "pos:till-1"),
                      (LedgerEntryKind.Bonus, LedgerEntryStatus.Approved, 25L, "Activity: review", "activity:review:rev-2", "pos:till-1")],
            entries.Select(e => (e.Kind, e.Status, e.Points, e.Reason, e.SourceReference, e.Actor)));
        Assert.Equal(entries[0].Id, first.Award.EntryId);
        Assert.Equal(["rev-2", "rev-1"], await ActivityOperations.OfMember(ctx, id).Select(a => a.Reference).ToListAsync()); // newest first
        await AssertBalanceMatchesEntriesAsync(ctx, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Rules_are_upserted_by_key_and_listed_by_key(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.ContextA();

        await ActivityOperations.UpsertRuleAsync(ctx, _clock, new ActivityRuleInput(ActivityType.SocialShare, null, 5, DailyLimit: 1));
        await ActivityOperations.UpsertRuleAsync(ctx, _clock, new ActivityRuleInput(ActivityType.Custom, "quiz", 3, Description: "Weekly quiz"));
        _clock.Advance(TimeSpan.FromHours(1));
        var replaced = await ActivityOperations.UpsertRuleAsync(ctx, _clock, new ActivityRuleInput(ActivityType.SocialShare, "social_share", 8, WeeklyLimit: 4, Enabled: false));
        var rules = await ActivityOperations.GetRulesAsync(ctx);

        Assert.Equal(new ActivityRuleView("social_share", ActivityType.SocialShare, 8, null, 4, null, null, false, null, _clock.Now), replaced);
        Assert.Equal(["quiz", "social_share"], rules.Select(r => r.Key));
        Assert.Equal(replaced, rules[1]);
        Assert.Equal(2, await ctx.ActivityRules.CountAsync());
        await using var b = db.ContextB();
        Assert.Empty(await ActivityOperations.GetRulesAsync(b));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Unknown_disabled_limited_and_blocked_activities_are_refused_and_change_nothing(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var ann = await EnrollAsync(db);
        var bob = await EnrollAsync(db, "bob@example.com");
        await using var ctx = db.ContextA();
        await ActivityOperations.UpsertRuleAsync(ctx, _clock, new ActivityRuleInput(ActivityType.Review, null, 10, DailyLimit: 2, LifetimeLimit: 3));
        await ActivityOperations.UpsertRuleAsync(ctx, _clock, new ActivityRuleInput(ActivityType.Custom, "quiz", 10, Enabled: false));
        await ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "review", "r1"));
        await ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "review", "r2"));
        await MemberOperations.BlockAsync(ctx, _clock, "t", bob);

        var unknown = await Assert.ThrowsAsync<ActivityNotFoundException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "survey", "s1")));
        var disabled = await Assert.ThrowsAsync<ActivityNotFoundException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "quiz", "q1")));
        var daily = await Assert.ThrowsAsync<ActivityLimitReachedException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "review", "r3")));
        var blocked = await Assert.ThrowsAsync<MemberBlockedException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(bob, "review", "r1")));
        var missing = await Assert.ThrowsAsync<MemberNotFoundException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(Guid.NewGuid(), "review", "r1")));
        var future = await Assert.ThrowsAsync<HeadlessLoyalty.Api.Common.InvalidInputException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "review", "r4", _clock.Now.AddHours(1))));
        var ancient = await Assert.ThrowsAsync<HeadlessLoyalty.Api.Common.InvalidInputException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "review", "r5", DateTimeOffset.MinValue)));
        var longKey = await Assert.ThrowsAsync<HeadlessLoyalty.Api.Common.InvalidInputException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, new string('k', 64), "r4")));
        var noReference = await Assert.ThrowsAsync<HeadlessLoyalty.Api.Common.InvalidInputException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "review", " ")));
        // The next day the daily window is open again, until the lifetime limit closes it for good.
        _clock.Advance(TimeSpan.FromDays(1));
        await ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "review", "r3"));
        _clock.Advance(TimeSpan.FromDays(1));
        var lifetime = await Assert.ThrowsAsync<ActivityLimitReachedException>(() => ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "review", "r4")));
        // A replay is not a new award: it answers even once the limit is reached or the rule is disabled.
        await ActivityOperations.UpsertRuleAsync(ctx, _clock, new ActivityRuleInput(ActivityType.Review, null, 10, Enabled: false));
        var replay = await ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(ann, "review", "r1"));

        Assert.Equal(("ACTIVITY_NOT_FOUND", "key"), (unknown.Code, unknown.Field));
        Assert.Equal("ACTIVITY_NOT_FOUND", disabled.Code);
        Assert.Equal(("ACTIVITY_LIMIT_REACHED", "key", ActivityWindow.Day), (daily.Code, daily.Field, daily.Window));
        Assert.Contains("daily", daily.Message);
        Assert.Equal(ActivityWindow.Lifetime, lifetime.Window);
        Assert.Contains("lifetime", lifetime.Message);
        Assert.Equal("MEMBER_BLOCKED", blocked.Code);
        Assert.Equal("MEMBER_NOT_FOUND", missing.Code);
        Assert.Equal("occurredAt", future.Field);
        Assert.Equal("occurredAt", ancient.Field);
        Assert.Equal("reference", noReference.Field);
        Assert.Equal("key", longKey.Field);
        Assert.True(replay.Replayed);
        Assert.Equal(30L, replay.Balance.Approved);
        Assert.Equal(3, await ctx.ActivityAwards.CountAsync());
        Assert.Equal(0, await ctx.LedgerEntries.CountAsync(e => e.MemberId == bob));
        await AssertBalanceMatchesEntriesAsync(ctx, ann);
    }

    [Theory, SqliteData, PostgresData]
    public async Task The_daily_limit_counts_the_programs_local_day(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using var ctx = db.ContextA();
        var program = await ctx.Programs.SingleAsync(p => p.Id == db.ProgramA);
        program.TimeZone = "Pacific/Auckland"; // UTC+13 in March
        await ctx.SaveChangesAsync();
        await ActivityOperations.UpsertRuleAsync(ctx, _clock, new ActivityRuleInput(ActivityType.SocialShare, null, 5, DailyLimit: 1));

        // 10:30Z is 23:30 on 1 March in Auckland, 11:30Z is 00:30 on 2 March: one award each day. In UTC both are 1 March.
        var late = await ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(id, "social_share", "s1", new DateTimeOffset(2026, 3, 1, 10, 30, 0, TimeSpan.Zero)));
        var nextDay = await ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(id, "social_share", "s2", new DateTimeOffset(2026, 3, 1, 11, 30, 0, TimeSpan.Zero)));
        var sameDay = await Assert.ThrowsAsync<ActivityLimitReachedException>(() =>
            ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(id, "social_share", "s3", new DateTimeOffset(2026, 3, 1, 11, 59, 0, TimeSpan.Zero))));

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 30, 0, TimeSpan.Zero), late.Award.OccurredAt);
        Assert.Equal(10L, nextDay.Balance.Approved);
        Assert.Equal(ActivityWindow.Day, sameDay.Window);
        var entry = await ctx.LedgerEntries.AsNoTracking().SingleAsync(e => e.Id == late.Award.EntryId);
        Assert.Equal(late.Award.OccurredAt, entry.OccurredAt);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_awards_for_one_member_never_exceed_the_daily_limit(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using (var setup = db.ContextA())
            await ActivityOperations.UpsertRuleAsync(setup, _clock, new ActivityRuleInput(ActivityType.Review, null, 7, DailyLimit: 3));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            await using var ctx = db.ContextA();
            try
            {
                await ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(id, "review", $"race-{i}"));
                return "awarded";
            }
            catch (ActivityLimitReachedException e)
            {
                return e.Code;
            }
        }));

        Assert.Equal(3, outcomes.Count(o => o == "awarded"));
        Assert.Equal(7, outcomes.Count(o => o == "ACTIVITY_LIMIT_REACHED"));
        await using var check = db.ContextA();
        Assert.Equal(3, await check.ActivityAwards.CountAsync());
        Assert.Equal(21L, (await check.Balances.AsNoTracking().SingleAsync(b => b.MemberId == id)).Approved);
        await AssertBalanceMatchesEntriesAsync(check, id);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_deliveries_of_one_activity_award_once(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db);
        await using (var setup = db.ContextA())
            await ActivityOperations.UpsertRuleAsync(setup, _clock, new ActivityRuleInput(ActivityType.SignUp, null, 100));

        var payloads = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var ctx = db.ContextA();
            return await ActivityOperations.RecordAsync(ctx, _clock, "t", new RecordActivityInput(id, "sign_up", "account"));
        }));

        Assert.Single(payloads, p => !p.Replayed);
        Assert.Single(payloads.Select(p => p.Award.Id).Distinct());
        await using var check = db.ContextA();
        Assert.Equal(1, await check.ActivityAwards.CountAsync());
        Assert.Equal(100L, (await check.Balances.AsNoTracking().SingleAsync(b => b.MemberId == id)).Approved);
    }
}
