using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Events;

/// <summary>
/// A [Fact] that needs Redis (<c>HL_TEST_REDIS</c>, host:port, exported by <c>scripts/test.sh</c>) and PostgreSQL: skipped
/// without them, unless <c>HL_REQUIRE_POSTGRES=1</c> (the test command) makes a missing server a failure.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public static string? Server => Environment.GetEnvironmentVariable("HL_TEST_REDIS") is { Length: > 0 } s ? s : null;

    public RedisFactAttribute()
    {
        if ((Server is null || TestDatabase.PostgresServer is null) && !TestDatabase.PostgresRequired)
            Skip = "HL_TEST_REDIS and HL_TEST_POSTGRES are needed (scripts/test.sh provisions both).";
    }
}

/// <summary>Two API instances over one PostgreSQL database and one Redis: the log's wake-ups cross instances.</summary>
public sealed class EventWakeupsAcrossInstancesTests
{
    [RedisFact]
    public async Task A_write_sequenced_on_one_instance_wakes_the_readers_of_another_through_Redis()
    {
        var redis = RedisFactAttribute.Server ?? throw new InvalidOperationException("HL_TEST_REDIS is not set.");
        // A channel of this test's own: other test runs may share the Redis server.
        var settings = new Dictionary<string, string?> { ["Redis:ConnectionString"] = redis, ["Redis:EventsChannel"] = $"hl-test:{Guid.NewGuid():N}" };
        await using var writer = await LoyaltyApiFactory.StartAsync(DatabaseProvider.Postgres, settings);
        // The reader's instance runs no sequencer: Redis is the only way it can learn that the log moved.
        await using var reader = new LoyaltyApiFactory(writer.Database.Shared(), new Dictionary<string, string?>(settings) { ["Events:SequencerEnabled"] = "false" });
        _ = reader.Server;
        var wakeups = reader.Services.GetRequiredService<IEventWakeups>();
        var known = wakeups.Head;
        var woken = wakeups.WaitAsync(known, CancellationToken.None).AsTask();

        var slug = NewSlug("redis");
        await writer.CreateProgramAsync(slug);
        var member = await writer.EnrollAsync(slug, "ann@example.com");

        var head = await woken.WaitAsync(TimeSpan.FromMinutes(1)); // a guard against a hang, not a timing assertion
        var events = await reader.WithTenantAsync(slug, db => EventLog.ReadAsync(db, known, 10, null, null));
        Assert.Contains(events, e => e.MemberId == member.Id && e.Type == EventTypes.MemberEnrolled && e.Position <= head);
    }

    [Fact]
    public async Task A_waiter_beyond_the_head_waits_for_an_advance_and_one_below_returns_at_once()
    {
        var wakeups = new EventWakeups();
        wakeups.Advance(5);
        Assert.Equal(5, await wakeups.WaitAsync(4, CancellationToken.None));

        var waiting = wakeups.WaitAsync(5, CancellationToken.None).AsTask();
        wakeups.Advance(5); // not beyond: still waiting
        wakeups.Advance(3); // never backwards
        Assert.False(waiting.IsCompleted);
        Assert.Equal(5, wakeups.Head);
        wakeups.Advance(9);
        Assert.Equal(9, await waiting);

        using var cancel = new CancellationTokenSource();
        var cancelled = wakeups.WaitAsync(9, cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }
}
