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
/// Retention deletes events a replaying subscription has not read yet (a slow client on a long replay): the
/// subscription ends with EVENTS_CURSOR_EXPIRED instead of silently skipping them.
/// </summary>
public abstract class ReplayRetentionTests(DatabaseProvider provider)
{
    [DbFact]
    public async Task Retention_overtaking_a_paused_replay_ends_it_with_EVENTS_CURSOR_EXPIRED_and_nothing_skipped()
    {
        await using var app = await LoyaltyApiFactory.StartAsync(provider, new Dictionary<string, string?>
        {
            // Tiny batches and buffer: the replay stops a few events in while the client does not read.
            ["Events:SubscriptionReadBatch"] = "2",
            ["GraphQL:Streaming:OutboundBufferSize"] = "4",
        });
        var slug = NewSlug("ret");
        await app.CreateProgramAsync(slug);
        var ann = await app.EnrollAsync(slug, "ann@example.com");
        // A long backlog (written in one go), so the replay is still far from its end when retention strikes, even when
        // the in-memory socket buffers what the client does not read.
        await app.WithTenantAsync(slug, async db =>
        {
            var now = app.Clock.GetUtcNow();
            for (var i = 0; i < 2000; i++)
                DomainEvents.Stage(db, EventTypes.PointsEarned, ann.Id, new PointsEarnedPayload(ann.Id, ann.Email, 1, i + 1, "Earn", null, $"r-{i}"), now, now);
            await db.SaveChangesAsync();
        });
        await app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        var positions = await app.WithTenantAsync(slug, db => db.DomainEvents.OrderBy(e => e.Position).Select(e => e.Position!.Value).ToListAsync());
        using var client = await app.ConnectAsync(app.MintToken(slug, Roles.Partner));

        await client.SubscribeAsync("1", new { after = "0" });
        var received = new List<long> { Position(await client.NextEventAsync()) };
        // Retention deletes everything up to the 1500th event while the client is not reading.
        var program = await app.WithTenantAsync(slug, db => Task.FromResult(db.Tenant.ProgramId!.Value));
        await app.WithTenantAsync(slug, async db =>
        {
            db.EventRetentionMarks.Add(new EventRetentionMark { ProgramId = program, DeletedThrough = positions[1499], UpdatedAt = app.Clock.GetUtcNow() });
            db.DomainEvents.RemoveRange(await db.DomainEvents.Where(e => e.Position <= positions[1499]).ToListAsync());
            await db.SaveChangesAsync();
        });
        string? code = null;
        while (code is null)
        {
            var message = await client.ReceiveAsync() ?? throw new InvalidOperationException("closed");
            if (message["payload"]?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>() is { } c)
                code = c;
            else
                received.Add(Position(message["payload"]!["data"]!["loyaltyEvents"]!));
        }

        Assert.Equal("EVENTS_CURSOR_EXPIRED", code);
        Assert.Equal("complete", (await client.ReceiveAsync())!["type"]!.GetValue<string>());
        // What arrived before the refusal is a prefix of the log: nothing was skipped.
        Assert.Equal(positions.Take(received.Count), received);
        Assert.True(received.Count < 1500, $"the replay should have been overtaken, got {received.Count} events");
    }
}

public sealed class ReplayRetentionTestsOnSqlite() : ReplayRetentionTests(DatabaseProvider.Sqlite);

public sealed class ReplayRetentionTestsOnPostgres() : ReplayRetentionTests(DatabaseProvider.Postgres), IOnPostgres;
