using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Birthdays;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Birthdays;

/// <summary>The birthday run on real databases: in the program's time zone, once per member and year, reward included.</summary>
public sealed class BirthdayOperationsTests
{
    // 13:00 UTC on 30 June 2027 is already 1 July in Auckland.
    private readonly FixedClock _clock = new(new DateTimeOffset(2027, 6, 30, 13, 0, 0, TimeSpan.Zero));

    private async Task<Guid> EnrollAsync(TestDatabase db, string email, int month, int day, int? year = null)
    {
        await using var ctx = db.ContextA();
        return (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput(email, "B", null, null, month, day, year))).Member.Id;
    }

    private static async Task<List<(string Type, BirthdayPayload Payload)>> BirthdayEventsAsync(HeadlessLoyalty.Api.Data.LoyaltyDbContext ctx) =>
        [.. (await ctx.DomainEvents.AsNoTracking().Where(e => e.Type == EventTypes.BirthdayToday || e.Type == EventTypes.BirthdayIn7Days).ToListAsync())
            .Select(e => (e.Type, DomainEvents.Read<BirthdayPayload>(e))).OrderBy(x => x.Item2.Email)];

    [Theory, SqliteData, PostgresData]
    public async Task On_the_programs_day_the_member_gets_the_reward_and_a_greeting_and_a_week_ahead_a_notice_once(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var setup = db.ContextA())
        {
            var program = await setup.Programs.SingleAsync(p => p.Id == db.ProgramA);
            program.TimeZone = "Pacific/Auckland";
            await setup.SaveChangesAsync();
            await ActivityOperations.UpsertRuleAsync(setup, _clock, new ActivityRuleInput(ActivityType.Birthday, null, 100));
        }
        var today = await EnrollAsync(db, "today@example.com", 7, 1, 1990);
        await EnrollAsync(db, "week@example.com", 7, 8);
        await EnrollAsync(db, "utc-today@example.com", 6, 30); // today in UTC, yesterday in Auckland
        var blocked = await EnrollAsync(db, "blocked@example.com", 7, 1);
        await using var ctx = db.ContextA();
        await MemberOperations.BlockAsync(ctx, _clock, "t", blocked);

        var first = await BirthdayOperations.RunAsync(ctx, _clock);
        var rerun = await BirthdayOperations.RunAsync(ctx, _clock);

        Assert.Equal((2, 0), (first, rerun));
        var events = await BirthdayEventsAsync(ctx);
        Assert.Equal([(EventTypes.BirthdayToday, "today@example.com", 100L, (int?)37), (EventTypes.BirthdayIn7Days, "week@example.com", 0L, (int?)null)],
            events.Select(e => (e.Type, e.Payload.Email, e.Payload.PointsAwarded, e.Payload.Age)));
        Assert.Equal(new DateOnly(2027, 7, 8), events[1].Payload.Birthday);
        Assert.Equal(100L, (await ctx.Balances.AsNoTracking().SingleAsync(b => b.MemberId == today)).Approved);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_29_february_birthday_is_greeted_on_28_february_of_a_common_year(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        _clock.Now = new DateTimeOffset(2027, 2, 28, 12, 0, 0, TimeSpan.Zero);
        await EnrollAsync(db, "leap@example.com", 2, 29);
        await EnrollAsync(db, "eve@example.com", 2, 28);
        await using var ctx = db.ContextA();

        await BirthdayOperations.RunAsync(ctx, _clock);

        Assert.Equal([(EventTypes.BirthdayToday, "eve@example.com"), (EventTypes.BirthdayToday, "leap@example.com")],
            (await BirthdayEventsAsync(ctx)).Select(e => (e.Type, e.Payload.Email)));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Without_a_birthday_rule_the_greeting_goes_out_without_points_and_another_program_is_untouched(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await EnrollAsync(db, "plain@example.com", 6, 30);
        await using var ctx = db.ContextA();
        await using var other = db.ContextB();

        Assert.Equal(0, await BirthdayOperations.RunAsync(other, _clock));
        Assert.Equal(1, await BirthdayOperations.RunAsync(ctx, _clock));

        Assert.Equal(0L, (await BirthdayEventsAsync(ctx)).Single().Payload.PointsAwarded);
        Assert.Empty(await other.DomainEvents.ToListAsync());
    }
}
