using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace HeadlessLoyalty.GraphQL.Tests.Subscriptions;

/// <summary>Real clients against Kestrel: the reference graphql-ws client (node) and a browser's EventSource (Chromium).</summary>
public sealed class RealClientTests
{
    private readonly TestEventSource _source = new();

    [Fact]
    public async Task The_reference_graphql_ws_client_queries_subscribes_and_sees_refusals()
    {
        var directory = ClientDirectory();
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "graphql-ws")))
        {
            var (code, _, error) = await RunAsync("npm", "ci --no-audit --no-fund", directory, null);
            Assert.True(code == 0, "npm ci failed: " + error);
        }
        await using var server = await StreamingServer.StartAsync(_source, o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(100));
        var url = new UriBuilder(server.Address) { Scheme = "ws", Path = "/graphql" }.Uri;

        var (exit, stdout, stderr) = await RunAsync("node", $"run-client.mjs {url}", directory, async () =>
        {
            // The script's subscription is live once the source has its subscriber; then feed it.
            await _source.WaitForSubscribersAsync(1);
            _source.Publish("one");
            _source.Publish("two");
            _source.Complete();
        });

        Assert.True(exit == 0, "the client failed: " + stderr + stdout);
        var output = JsonNode.Parse(stdout)!;
        Assert.Equal("alice", output["query"]![0]!["data"]!["whoami"]!.GetValue<string>());
        Assert.Equal(["one", "two"], output["events"]!.AsArray().Select(r => r!["data"]!["events"]!["value"]!.GetValue<string>()));
        Assert.Equal(4403, output["refused"]!["code"]!.GetValue<int>());
        Assert.Equal("The token is not valid.", output["refused"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_browser_EventSource_receives_next_events_and_complete()
    {
        await using var server = await StreamingServer.StartAsync(_source);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        // A blank page on the server's origin (served by the browser itself), so the stream is same-origin.
        var blank = new Uri(server.Address, "/blank.html").ToString();
        await page.RouteAsync(blank, route => route.FulfillAsync(new RouteFulfillOptions { Body = "<html><body></body></html>", ContentType = "text/html" }));
        await page.GotoAsync(blank);

        // A plain EventSource (GET, no headers); the page closes it on complete so the browser does not reconnect.
        await page.EvaluateAsync("""
            (query) => {
              window.received = [];
              window.done = new Promise((resolve, reject) => {
                const source = new EventSource('/graphql?query=' + encodeURIComponent(query));
                source.addEventListener('next', e => window.received.push(JSON.parse(e.data)));
                source.addEventListener('complete', () => { source.close(); resolve(window.received); });
                source.onerror = () => { if (source.readyState === EventSource.CLOSED) reject(new Error('failed')); };
              });
            }
            """, "subscription { events { value } }");
        await _source.WaitForSubscribersAsync(1);
        _source.Publish("x");
        _source.Publish("y");
        _source.Complete();
        var received = await page.EvaluateAsync<JsonElementHolder[]>("() => window.done.then(r => r.map(x => ({ value: x.data.events.value })))");

        Assert.Equal(["x", "y"], received.Select(r => r.Value));
        await _source.WaitForSubscribersAsync(0);
    }

    public sealed class JsonElementHolder
    {
        public string? Value { get; set; }
    }

    private static string ClientDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "graphql-ws");

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string fileName, string arguments, string directory, Func<Task>? whileRunning)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            if (whileRunning is not null)
                await whileRunning();
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
