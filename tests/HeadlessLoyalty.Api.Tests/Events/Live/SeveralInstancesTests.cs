using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.GraphQL.Relay;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;
using static HeadlessLoyalty.Api.Tests.Events.Live.GraphQLWsTestClient;

namespace HeadlessLoyalty.Api.Tests.Events.Live;

/// <summary>
/// Two API instances on 127.0.0.1 (real Kestrel servers) sharing PostgreSQL and Redis: a mutation on one reaches a
/// subscriber on the other; the subscriber's instance is stopped, the client reconnects to the other instance with
/// its cursor and misses nothing (and gets nothing twice).
/// </summary>
public sealed class SeveralInstancesTests
{
    private static LoyaltyApiFactory Instance(TestDatabase database, IReadOnlyDictionary<string, string?> settings, out Uri address)
    {
        var port = LiveTestSupport.FreePort();
        var factory = new LoyaltyApiFactory(database, settings);
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        address = new Uri($"http://127.0.0.1:{port}/");
        return factory;
    }

    /// <summary>Renames the member through <paramref name="instance"/>'s GraphQL endpoint: one member.updated event.</summary>
    private static async Task RenameOverHttpAsync(Uri instance, string token, Guid member, int n)
    {
        using var http = new HttpClient { BaseAddress = instance };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var body = JsonSerializer.Serialize(new
        {
            query = "mutation($id: ID!, $name: String!) { updateMember(input: { memberId: $id, firstName: $name }) { member { id } userErrors { code } } }",
            variables = new { id = GlobalId.Encode("Member", member.ToString()), name = $"Ann{n}" },
        });
        using var response = await http.PostAsync("graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && !text.Contains("\"errors\"") && text.Contains("\"userErrors\":[]"), text);
    }

    [RedisFact]
    public async Task A_subscriber_follows_writes_on_the_other_instance_and_resumes_there_when_its_own_instance_stops()
    {
        var redis = RedisFactAttribute.Server ?? throw new InvalidOperationException("HL_TEST_REDIS is not set.");
        var settings = new Dictionary<string, string?> { ["Redis:ConnectionString"] = redis, ["Redis:EventsChannel"] = $"hl-test:{Guid.NewGuid():N}" };
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var a = Instance(database, settings, out var aAddress);
        // B sequences nothing itself: what A writes can only reach B's subscriber through the shared database, woken by Redis.
        var b = Instance(database.Shared(), new Dictionary<string, string?>(settings) { ["Events:SequencerEnabled"] = "false" }, out var bAddress);
        try
        {
            var slug = NewSlug("inst");
            await a.CreateProgramAsync(slug);
            var ann = await a.EnrollAsync(slug, "ann@example.com");
            var token = a.MintToken(slug, Roles.Partner);
            var admin = a.MintToken(slug, Roles.Admin);
            var received = new List<long>();

            using (var onB = await ConnectAsync(new Uri($"ws://127.0.0.1:{bAddress.Port}/graphql"), token))
            {
                await onB.SubscribeAsync("1", new { after = "0" });
                received.Add(Position(await onB.NextEventAsync())); // the enrollment, replayed by B
                await b.WaitForLiveAsync();

                await RenameOverHttpAsync(aAddress, admin, ann.Id, 0);                 // written on A ...
                var live = await onB.NextEventAsync();                                  // ... delivered live by B
                Assert.Equal(("member.updated", "ann@example.com"), (live["type"]!.GetValue<string>(), live["member"]!["email"]!.GetValue<string>()));
                received.Add(Position(live));

                // More writes on A while B goes down: some may reach the client before B stops, the rest must not be lost.
                for (var i = 1; i <= 3; i++)
                    await RenameOverHttpAsync(aAddress, admin, ann.Id, i);
                await b.DisposeAsync();
                b = null;
                while (await onB.ReceiveAsync(TimeSpan.FromSeconds(30)) is { } message)
                    if (message["type"]?.GetValue<string>() == "next")
                        received.Add(Position(message["payload"]!["data"]!["loyaltyEvents"]!));
            }
            for (var i = 4; i <= 5; i++)
                await RenameOverHttpAsync(aAddress, admin, ann.Id, i);

            // Reconnect to A with the last position received: the rest, then live.
            using var onA = await ConnectAsync(new Uri($"ws://127.0.0.1:{aAddress.Port}/graphql"), token);
            await onA.SubscribeAsync("again", new { after = received[^1].ToString() });
            // Every rename so far has its position (the background sequencer may not have run yet): the count to expect.
            await a.Services.GetRequiredService<EventSequencer>().SequenceAsync();
            var positioned = await a.WithTenantAsync(slug, db => db.DomainEvents.CountAsync());
            received.AddRange((await onA.NextEventsAsync(positioned - received.Count)).Select(Position));
            await RenameOverHttpAsync(aAddress, admin, ann.Id, 6);
            received.Add(Position(await onA.NextEventAsync()));

            await a.Services.GetRequiredService<EventSequencer>().SequenceAsync();
            var all = await a.WithTenantAsync(slug, db => db.DomainEvents.OrderBy(e => e.Position).Select(e => e.Position!.Value).ToListAsync());
            Assert.Equal(all, received);
            Assert.Equal(1 + 7, all.Count); // the enrollment and seven renames, each once
        }
        finally
        {
            if (b is not null)
                await b.DisposeAsync();
        }
    }
}
