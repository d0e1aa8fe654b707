using System.Net;
using System.Net.Sockets;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.Api.Tests.Events.Live;

/// <summary>What the live-event tests share: connecting to an app, knowing when a subscription went live, a free port.</summary>
internal static class LiveTestSupport
{
    /// <summary>A graphql-transport-ws client on the app's in-memory server, initialised with <paramref name="token"/>.</summary>
    public static async Task<GraphQLWsTestClient> ConnectAsync(this LoyaltyApiFactory app, string token)
    {
        var ws = app.Server.CreateWebSocketClient();
        ws.SubProtocols.Add("graphql-transport-ws");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = new GraphQLWsTestClient(await ws.ConnectAsync(new Uri(app.Server.BaseAddress, "graphql"), timeout.Token));
        await client.InitAsync(token);
        return client;
    }

    /// <summary>Live registrations in the app's hub right now.</summary>
    public static int LiveRegistrations(this LoyaltyApiFactory app) => app.Services.GetRequiredService<EventLogHub>().RegistrationCount;

    /// <summary>Waits until the app's hub holds more live registrations than <paramref name="before"/> (a subscription went live).</summary>
    public static async Task WaitForLiveAsync(this LoyaltyApiFactory app, int before = 0)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // against a hang, not a timing assertion
        while (app.LiveRegistrations() <= before)
            await Task.Delay(10, guard.Token);
    }

    /// <summary>A port free on 127.0.0.1 right now (for a Kestrel instance).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
