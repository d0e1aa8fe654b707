using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static HeadlessLoyalty.Api.Tests.GraphQL.GraphQLSeed;

namespace HeadlessLoyalty.Api.Tests.Events.Live;

/// <summary>The reference graphql-ws client (node) against the app on Kestrel: loyaltyEvents replays, goes live, and resumes from a cursor.</summary>
public sealed class RealClientTests
{
    [Fact]
    public async Task The_reference_graphql_ws_client_replays_goes_live_and_resumes_from_its_cursor()
    {
        var directory = ClientDirectory();
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "graphql-ws")),
            $"graphql-ws is not installed in {directory}: scripts/test.sh runs npm ci there");
        var port = LiveTestSupport.FreePort();
        await using var app = new LoyaltyApiFactory(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite));
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        app.StartServer();
        var slug = NewSlug("node");
        await app.CreateProgramAsync(slug);
        var ann = await app.EnrollAsync(slug, "ann@example.com");
        await app.Services.GetRequiredService<EventSequencer>().SequenceAsync();
        var token = app.MintToken(slug, Roles.Partner);
        var url = $"ws://127.0.0.1:{port}/graphql";

        // Replay (the enrollment) then live (two earnings written once the subscription is live).
        var (exit, stdout, stderr) = await RunNodeAsync(directory, $"run-loyalty-events.mjs {url} {token} 0 3", async () =>
        {
            await app.WaitForLiveAsync();
            await app.PostAsync(slug, new PostPointsInput(ann.Id, LedgerEntryKind.Earn, 5));
            await app.PostAsync(slug, new PostPointsInput(ann.Id, LedgerEntryKind.Earn, 6));
        });
        Assert.True(exit == 0, "the client failed: " + stderr + stdout);
        var first = JsonNode.Parse(stdout)!["events"]!.AsArray();
        Assert.Equal(["MemberEnrolledEvent", "PointsEarnedEvent", "PointsEarnedEvent"], first.Select(e => e!["__typename"]!.GetValue<string>()));

        // A new client resumes after the first event it got: the two earnings again, nothing else.
        var resumeFrom = first[0]!["position"]!.GetValue<long>();
        (exit, stdout, stderr) = await RunNodeAsync(directory, $"run-loyalty-events.mjs {url} {token} {resumeFrom} 2", null);
        Assert.True(exit == 0, "the client failed: " + stderr + stdout);
        var resumed = JsonNode.Parse(stdout)!["events"]!.AsArray().Select(e => e!["position"]!.GetValue<long>());
        Assert.Equal(first.Skip(1).Select(e => e!["position"]!.GetValue<long>()), resumed);
        var positions = await app.WithTenantAsync(slug, db => db.DomainEvents.OrderBy(e => e.Position).Select(e => e.Position!.Value).ToListAsync());
        Assert.Equal(positions, first.Select(e => e!["position"]!.GetValue<long>()));
    }

    private static string ClientDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "..", "HeadlessLoyalty.GraphQL.Tests", "graphql-ws"));

    private static async Task<(int Code, string Stdout, string Stderr)> RunNodeAsync(string directory, string arguments, Func<Task>? whileRunning)
    {
        var start = new ProcessStartInfo("node", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // against a hang, not a timing assertion
        try
        {
            if (whileRunning is not null)
                await whileRunning();
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {arguments} did not finish: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
