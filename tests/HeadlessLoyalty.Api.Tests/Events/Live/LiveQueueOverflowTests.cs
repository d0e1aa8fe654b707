using System.Net.WebSockets;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;
using static HeadlessLoyalty.Api.Tests.Events.Live.GraphQLWsTestClient;

namespace HeadlessLoyalty.Api.Tests.Events.Live;

/// <summary>
/// A burst bigger than a live subscription's queue: the hub drops the registration (it never waits for a subscriber),
/// the subscription goes back to the database from its own cursor, paced by a small outbound buffer, and the client
/// still gets every event once, in order, without being cut off as a slow consumer.
/// </summary>
public abstract class LiveQueueOverflowTests(DatabaseProvider provider)
{
    [DbFact]
    public async Task A_burst_beyond_the_live_queue_falls_back_to_the_log_and_loses_nothing()
    {
        await using var app = await LoyaltyApiFactory.StartAsync(provider, new Dictionary<string, string?>
        {
            // No background sequencer: the test positions the whole burst in one pass, so the hub offers it at once.
            ["Events:SequencerEnabled"] = "false",
            ["Events:SubscriptionLiveQueue"] = "2",
            ["GraphQL:Streaming:OutboundBufferSize"] = "20",
        });
        var sequencer = app.Services.GetRequiredService<EventSequencer>();
        var hub = app.Services.GetRequiredService<EventLogHub>();
        var slug = NewSlug("burst");
        await app.CreateProgramAsync(slug);
        var ann = await app.EnrollAsync(slug, "ann@example.com");
        await sequencer.SequenceAsync();
        using var client = await app.ConnectAsync(app.MintToken(slug, Roles.Partner));

        await client.SubscribeAsync("1", new { after = "0" });
        var received = new List<long> { Position(await client.NextEventAsync()) };
        await app.WaitForLiveAsync();
        for (var i = 0; i < 200; i++)
            await app.PostAsync(slug, new PostPointsInput(ann.Id, LedgerEntryKind.Earn, 1, SourceReference: $"burst-{i}"));
        await sequencer.SequenceAsync();
        received.AddRange((await client.NextEventsAsync(200)).Select(Position));

        var positions = await app.WithTenantAsync(slug, db => db.DomainEvents.OrderBy(e => e.Position).Select(e => e.Position!.Value).ToListAsync());
        Assert.Equal(positions, received);
        Assert.True(hub.Overflows > 0, "the burst should have overflowed the live queue of 2");
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }
}

public sealed class LiveQueueOverflowTestsOnSqlite() : LiveQueueOverflowTests(DatabaseProvider.Sqlite);

public sealed class LiveQueueOverflowTestsOnPostgres() : LiveQueueOverflowTests(DatabaseProvider.Postgres), IOnPostgres;
