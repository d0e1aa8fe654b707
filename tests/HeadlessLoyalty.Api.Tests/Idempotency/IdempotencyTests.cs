using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Idempotency;

public sealed class IdempotencyTests
{
    private readonly FixedClock _clock = new();

    private async Task<Guid> EnrollAsync(TestDatabase db, Guid program)
    {
        await using var ctx = db.Context(program);
        return (await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput("ann@example.com"))).Member.Id;
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_replay_returns_the_first_payload_and_applies_nothing_more(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db, db.ProgramA);
        var input = new AdjustPointsInput(id, 40, "goodwill");

        PointsChangePayload first, replay;
        await using (var ctx = db.ContextA())
            first = await PointsOperations.AdjustAsync(ctx, _clock, "t", input, "key-1");
        _clock.Advance(TimeSpan.FromHours(1));
        await using (var ctx = db.ContextA())
            replay = await PointsOperations.AdjustAsync(ctx, _clock, "t", input with { }, "key-1");

        Assert.Equal(first.Entry, replay.Entry);
        Assert.Equal(first.Balance with { }, replay.Balance);
        await using var check = db.ContextA();
        Assert.Equal(1, await check.LedgerEntries.CountAsync());
        Assert.Equal(40, (await check.Balances.SingleAsync()).Approved);
        var record = await check.IdempotencyRecords.SingleAsync();
        Assert.Equal((PointsOperations.AdjustOperation, "key-1", Idempotent.Hash(input), db.ProgramA), (record.Operation, record.Key, record.RequestHash, record.ProgramId));
        // Enums are stored by name so a reordered enum cannot change a replayed payload.
        Assert.Contains("\"kind\":\"Adjustment\"", record.ResponseJson);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Reusing_a_key_with_a_different_input_is_refused_and_changes_nothing(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db, db.ProgramA);
        await using var ctx = db.ContextA();
        await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, 40, "goodwill"), "key-1");

        var ex = await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, 400, "goodwill"), "key-1"));
        Assert.Equal(("IDEMPOTENCY_KEY_REUSED", "idempotencyKey"), (ex.Code, ex.Field));
        Assert.Equal(1, await ctx.LedgerEntries.CountAsync());
        Assert.Equal(40, (await ctx.Balances.AsNoTracking().SingleAsync()).Approved);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_refused_request_is_not_remembered_so_its_retry_can_succeed(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db, db.ProgramA);
        await using var ctx = db.ContextA();
        var spend = new PostPointsInput(id, LedgerEntryKind.Redeem, -50);
        await Assert.ThrowsAsync<InsufficientPointsException>(() => PointsOperations.PostAsync(ctx, _clock, "t", spend, "redeem-1"));
        await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(id, LedgerEntryKind.Earn, 50), "earn-1");
        var retried = await PointsOperations.PostAsync(ctx, _clock, "t", spend, "redeem-1");
        Assert.Equal(0, retried.Balance.Approved);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Keys_are_scoped_per_program_and_per_operation(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var inA = await EnrollAsync(db, db.ProgramA);
        var inB = await EnrollAsync(db, db.ProgramB);
        await using (var a = db.ContextA())
        {
            await PointsOperations.AdjustAsync(a, _clock, "t", new AdjustPointsInput(inA, 10, "r"), "same-key");
            // Same key, other operation: independent.
            await PointsOperations.PostAsync(a, _clock, "t", new PostPointsInput(inA, LedgerEntryKind.Earn, 5), "same-key");
        }
        await using (var b = db.ContextB())
        {
            var p = await PointsOperations.AdjustAsync(b, _clock, "t", new AdjustPointsInput(inB, 20, "r"), "same-key");
            Assert.Equal(20, p.Balance.Approved);
            Assert.Equal(1, await b.IdempotencyRecords.CountAsync());
        }
        await using var check = db.ContextA();
        Assert.Equal(15, (await check.Balances.SingleAsync()).Approved);
        Assert.Equal(2, await check.IdempotencyRecords.CountAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task An_enrollment_replayed_with_its_key_returns_the_same_member(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var input = new EnrollMemberInput("ann@example.com", "Ann");
        await using var ctx = db.ContextA();
        var first = await MemberOperations.EnrollAsync(ctx, _clock, "t", input, "enroll-1");
        var replay = await MemberOperations.EnrollAsync(ctx, _clock, "t", input, "enroll-1");
        Assert.Equal(first.Member, replay.Member);
        await Assert.ThrowsAsync<EmailTakenException>(() => MemberOperations.EnrollAsync(ctx, _clock, "t", input, "enroll-2"));
        Assert.Equal(1, await ctx.Members.CountAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_replays_of_one_key_apply_once_and_all_see_the_first_payload(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var id = await EnrollAsync(db, db.ProgramA);
        await using (var seed = db.ContextA())
            await PointsOperations.AdjustAsync(seed, _clock, "t", new AdjustPointsInput(id, 30, "seed"), "seed");

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await using var ctx = db.ContextA();
            return await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(id, 25, "bonus"), "once");
        })).ToList();
        start.SetResult();
        var payloads = await Task.WhenAll(tasks);

        Assert.Single(payloads.Select(p => p.Entry.Id).Distinct());
        Assert.All(payloads, p => Assert.Equal(55, p.Balance.Approved));
        await using var check = db.ContextA();
        Assert.Equal(2, await check.LedgerEntries.CountAsync());
        Assert.Equal(55, (await check.Balances.SingleAsync()).Approved);
    }
}
