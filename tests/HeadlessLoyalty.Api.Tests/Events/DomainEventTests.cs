using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Events;

/// <summary>The engine's changes append their events in the same transaction: committed changes have them, refused or replayed ones add none.</summary>
public sealed class DomainEventTests
{
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    private static async Task<List<DomainEvent>> EventsAsync(HeadlessLoyalty.Api.Data.LoyaltyDbContext ctx) =>
        (await ctx.DomainEvents.AsNoTracking().ToListAsync()).OrderBy(e => e.Id.ToString(), StringComparer.Ordinal).ToList();

    private static RecordPurchaseInput Order(Guid member, string reference, decimal amount, PurchaseStatus status = PurchaseStatus.Completed) =>
        new(member, PurchaseChannel.Online, "shop", null, reference, amount, null, "EUR", null, status);

    [Theory, SqliteData, PostgresData]
    public async Task Member_changes_append_enrolled_updated_and_blocked_once_each(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.ContextA();

        var enrolled = await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput("eve@example.com", "Eve"), "k-enroll");
        await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput("eve@example.com", "Eve"), "k-enroll"); // replay
        await Assert.ThrowsAsync<EmailTakenException>(() => MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput("EVE@example.com")));
        var id = enrolled.Member.Id;
        await MemberOperations.UpdateAsync(ctx, _clock, "t", new UpdateMemberInput(id, LastName: "Adams"));
        await MemberOperations.UpdateAsync(ctx, _clock, "t", new UpdateMemberInput(id, LastName: "Adams")); // changes nothing
        await MemberOperations.BlockAsync(ctx, _clock, "t", id);
        await MemberOperations.BlockAsync(ctx, _clock, "t", id); // already blocked

        var events = await EventsAsync(ctx);
        Assert.Equal([EventTypes.MemberEnrolled, EventTypes.MemberUpdated, EventTypes.MemberBlocked], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal((id, db.ProgramA, (long?)null), (e.MemberId!.Value, e.ProgramId, e.Position)));
        var updated = DomainEvents.Read<MemberEventPayload>(events[1]);
        Assert.Equal(("eve@example.com", "Eve", "Adams", "Active"), (updated.Email, updated.FirstName, updated.LastName, updated.Status));
        Assert.Equal("Blocked", DomainEvents.Read<MemberEventPayload>(events[2]).Status);
        Assert.Empty(await db.ContextB().DomainEvents.ToListAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_purchase_appends_order_awarded_and_points_earned_when_the_points_become_spendable(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.ContextA();
        var id = (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput("olga@example.com"))).Member.Id;
        await PurchaseOperations.UpdateSettingsAsync(ctx, _clock, new EarningSettings(WelcomeBonusPoints: 10, PendingDays: 7));
        var since = (await EventsAsync(ctx)).Count;

        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "O-1", 42m));
        await PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "O-1", 42m)); // a store's retry
        var afterRecord = (await EventsAsync(ctx)).Skip(since).ToList();
        _clock.Advance(TimeSpan.FromDays(7));
        await PurchaseOperations.ApproveDueAsync(ctx, _clock);
        await PurchaseOperations.ReverseAsync(ctx, _clock, "t", new ReversePurchaseInput(PurchaseChannel.Online, "shop", "O-1", 21m, "rf-1", null));
        var all = (await EventsAsync(ctx)).Skip(since).ToList();

        Assert.Equal([EventTypes.OrderAwarded], afterRecord.Select(e => e.Type)); // pending: nothing spendable yet
        var awarded = DomainEvents.Read<OrderAwardedPayload>(afterRecord[0]);
        Assert.Equal(("olga@example.com", "O-1", 42L, 10L, true, 0L), (awarded.Email, awarded.OrderReference, awarded.PointsEarned, awarded.WelcomeBonus, awarded.Pending, awarded.BalanceAfter));
        Assert.Equal([EventTypes.OrderAwarded, EventTypes.PointsEarned, EventTypes.PointsEarned, EventTypes.OrderReversed], all.Select(e => e.Type));
        Assert.Equal([10L, 42L], all.Where(e => e.Type == EventTypes.PointsEarned).Select(e => DomainEvents.Read<PointsEarnedPayload>(e).Points).Order());
        var reversed = DomainEvents.Read<OrderReversedPayload>(all[^1]);
        Assert.Equal((21m, false, 21L, 31L), (reversed.RefundAmount, reversed.FullRefund, reversed.PointsTakenBack, reversed.BalanceAfter));
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_refused_change_appends_nothing(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.ContextA();
        var id = (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput("ray@example.com"))).Member.Id;
        await MemberOperations.BlockAsync(ctx, _clock, "t", id);
        var before = (await EventsAsync(ctx)).Count;

        await Assert.ThrowsAsync<MemberBlockedException>(() => PurchaseOperations.RecordAsync(ctx, _clock, "t", Order(id, "X-1", 10m)));
        await Assert.ThrowsAsync<MemberBlockedException>(() => PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Earn, 5)));

        Assert.Equal(before, (await EventsAsync(ctx)).Count);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_blocks_of_one_member_write_one_blocked_event(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        Guid id;
        await using (var setup = db.ContextA())
            id = (await MemberOperations.EnrollAsync(setup, _clock, "t", new EnrollMemberInput("twice@example.com"))).Member.Id;

        await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            await using var ctx = db.ContextA();
            await MemberOperations.BlockAsync(ctx, _clock, "t", id);
        }));

        await using var check = db.ContextA();
        Assert.Equal(1, await check.DomainEvents.CountAsync(e => e.Type == EventTypes.MemberBlocked));
    }

    [Fact]
    public void Event_ids_are_version_7_and_keep_the_staging_order_even_when_the_clock_stands_still()
    {
        var at = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero); // beyond any test clock: ids are monotonic per process
        var ids = Enumerable.Range(0, 5000).Select(_ => DomainEvents.NextId(at)).ToList(); // more than 4096 in one millisecond

        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.All(ids, id => Assert.InRange(id.Variant, 8, 11)); // RFC 9562 variant: the top bits of byte 8 are 10
        Assert.Equal(ids.Select(i => i.ToString()), ids.Select(i => i.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.StartsWith(at.ToUnixTimeMilliseconds().ToString("x12")[..8], ids[0].ToString("N"));
    }

    [Fact]
    public void The_catalog_names_every_event_once()
    {
        Assert.Equal(EventTypes.All.Count, EventTypes.All.Distinct().Count());
        Assert.All(EventTypes.All, t => Assert.Matches("^[a-z]+\\.[a-z0-9_]+$", t));
        Assert.Equal(28, EventTypes.All.Count);
    }
}
