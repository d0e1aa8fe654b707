// Live-event delivery latency: N graphql-transport-ws clients subscribe to loyaltyEvents (spread over one or more
// instances), then a writer renames one member E times over HTTP (one member.updated event each) on the first
// instance. Latency of a delivery = when a subscriber received event k - when the writer started the k-th mutation
// (so it includes the mutation, its commit, sequencing, the fan-out and the socket). Prints one BENCH line.
//
//   dotnet HeadlessLoyalty.Bench.Subscribers.dll --ws ws://127.0.0.1:5000/graphql[,ws://...] --http http://127.0.0.1:5000/graphql
//       --token <partner/admin JWT> --member <member global id> [--subscribers 5000] [--events 40] [--interval-ms 250]
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

var options = Args.Parse(args);
var wsUrls = options["ws"].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u)).ToArray();
var httpUrl = new Uri(options["http"]);
var token = options["token"];
var member = options["member"];
var subscribers = int.Parse(options.GetValueOrDefault("subscribers", "5000"));
var events = int.Parse(options.GetValueOrDefault("events", "40"));
var interval = TimeSpan.FromMilliseconds(int.Parse(options.GetValueOrDefault("interval-ms", "250")));
var connectParallelism = int.Parse(options.GetValueOrDefault("connect-parallelism", "64"));

var clock = Stopwatch.StartNew();
// Event k (0 = the probe) was sent at sentAt[k] (Stopwatch ticks); each subscriber records receivedAt[k].
var sentAt = new long[events + 1];
var clients = new Subscriber[subscribers];
var failures = 0;

Console.Error.WriteLine($"[subscribers] connecting {subscribers} subscribers to {string.Join(", ", wsUrls.Select(u => u.Authority))}");
using (var gate = new SemaphoreSlim(connectParallelism))
{
    await Task.WhenAll(Enumerable.Range(0, subscribers).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            clients[i] = await Subscriber.ConnectAsync(wsUrls[i % wsUrls.Length], token, events + 1, clock);
        }
        finally
        {
            gate.Release();
        }
    }));
}
Console.Error.WriteLine($"[subscribers] {subscribers} subscribed in {clock.Elapsed.TotalSeconds:F1} s; probing until every one receives");

using var http = new HttpClient();
http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
async Task RenameAsync(int k)
{
    var body = JsonSerializer.Serialize(new
    {
        query = "mutation($id: ID!, $name: String!) { updateMember(input: { memberId: $id, firstName: $name }) { userErrors { code } } }",
        variables = new { id = member, name = $"Bench{Guid.NewGuid():N}"[..20] },
    });
    sentAt[k] = clock.ElapsedTicks;
    using var response = await http.PostAsync(httpUrl, new StringContent(body, Encoding.UTF8, "application/json"));
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode || !text.Contains("\"userErrors\":[]", StringComparison.Ordinal))
        throw new InvalidOperationException($"The rename failed: {(int)response.StatusCode} {text}");
}

// The probe: all subscriptions are live once every subscriber has it (it is not measured).
await RenameAsync(0);
var probeDeadline = clock.Elapsed + TimeSpan.FromMinutes(2);
while (clients.Any(c => c.Received < 1) && clock.Elapsed < probeDeadline)
    await Task.Delay(100);
var missingProbe = clients.Count(c => c.Received < 1);
if (missingProbe > 0)
    Console.Error.WriteLine($"[subscribers] {missingProbe} subscribers never received the probe");

Console.Error.WriteLine($"[subscribers] sending {events} events, one every {interval.TotalMilliseconds} ms");
for (var k = 1; k <= events; k++)
{
    var next = clock.Elapsed + interval;
    try
    {
        await RenameAsync(k);
    }
    catch (Exception e)
    {
        Interlocked.Increment(ref failures);
        Console.Error.WriteLine($"[subscribers] event {k}: {e.Message}");
    }
    var wait = next - clock.Elapsed;
    if (wait > TimeSpan.Zero)
        await Task.Delay(wait);
}
var drainDeadline = clock.Elapsed + TimeSpan.FromSeconds(30);
while (clients.Any(c => c.Received < events + 1) && clock.Elapsed < drainDeadline)
    await Task.Delay(100);

var latencies = new List<double>(subscribers * events);
var missed = 0L;
foreach (var c in clients)
    for (var k = 1; k <= events; k++)
    {
        if (c.ReceivedAt[k] == 0)
            missed++;
        else
            latencies.Add((c.ReceivedAt[k] - sentAt[k]) * 1000.0 / Stopwatch.Frequency);
    }
latencies.Sort();
double Pct(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p / 100 * latencies.Count) - 1)];
var closed = clients.Count(c => c.ClosedEarly);
var byInstance = string.Join(";", wsUrls.Select((u, i) =>
{
    var mine = clients.Where((_, j) => j % wsUrls.Length == i).SelectMany(c => Enumerable.Range(1, events).Where(k => c.ReceivedAt[k] != 0)
        .Select(k => (c.ReceivedAt[k] - sentAt[k]) * 1000.0 / Stopwatch.Frequency)).Order().ToList();
    return $"{u.Authority}:p99={(mine.Count == 0 ? double.NaN : mine[Math.Min(mine.Count - 1, (int)Math.Ceiling(0.99 * mine.Count) - 1)]):F1}";
}));
Console.WriteLine(FormattableString.Invariant(
    $"BENCH subscribers={subscribers} instances={wsUrls.Length} events={events} deliveries={latencies.Count} missed={missed} closed={closed} failed_writes={failures} p50_ms={Pct(50):F1} p90_ms={Pct(90):F1} p99_ms={Pct(99):F1} max_ms={Pct(100):F1} per_instance={byInstance}"));
foreach (var c in clients)
    c.Abort();
return missed == 0 && failures == 0 ? 0 : 1;

/// <summary>One graphql-transport-ws connection with one loyaltyEvents subscription; records when each event arrives.</summary>
internal sealed class Subscriber
{
    private const string Query = "subscription { loyaltyEvents(types: [\"member.updated\"]) { position type } }";
    private readonly ClientWebSocket _socket;
    private readonly Stopwatch _clock;
    private readonly byte[] _buffer = new byte[4096];
    private int _received;

    private Subscriber(ClientWebSocket socket, int capacity, Stopwatch clock) => (_socket, ReceivedAt, _clock) = (socket, new long[capacity], clock);

    public long[] ReceivedAt { get; }
    public int Received => Volatile.Read(ref _received);
    public bool ClosedEarly { get; private set; }

    public static async Task<Subscriber> ConnectAsync(Uri url, string token, int capacity, Stopwatch clock)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(url, CancellationToken.None);
        var subscriber = new Subscriber(socket, capacity, clock);
        await subscriber.SendAsync($$$"""{"type":"connection_init","payload":{"Authorization":"Bearer {{{token}}}"}}""");
        var ack = await subscriber.ReceiveTextAsync();
        if (ack is null || !ack.Contains("connection_ack", StringComparison.Ordinal))
            throw new InvalidOperationException($"Not acknowledged: {ack ?? $"closed {socket.CloseStatus} {socket.CloseStatusDescription}"}");
        await subscriber.SendAsync($$$"""{"id":"1","type":"subscribe","payload":{"query":{{{JsonSerializer.Serialize(Query)}}}}}""");
        _ = subscriber.ReadLoopAsync();
        return subscriber;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await ReceiveTextAsync() is { } text)
            {
                if (text.Contains("\"type\":\"ping\"", StringComparison.Ordinal))
                {
                    await SendAsync("""{"type":"pong"}""");
                    continue;
                }
                if (!text.Contains("\"type\":\"next\"", StringComparison.Ordinal))
                    continue;
                var now = _clock.ElapsedTicks;
                var k = _received;
                if (k < ReceivedAt.Length)
                    ReceivedAt[k] = now;
                Volatile.Write(ref _received, k + 1);
            }
            ClosedEarly = true;
        }
        catch (Exception) when (_socket.State != WebSocketState.Open)
        {
            ClosedEarly = true;
        }
    }

    private Task SendAsync(string text) => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task<string?> ReceiveTextAsync()
    {
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(_buffer, 0, result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
        }
    }

    public void Abort() => _socket.Abort();
}

internal static class Args
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            parsed[args[i][2..]] = args[i + 1];
        }
        foreach (var required in new[] { "ws", "http", "token", "member" })
            if (!parsed.ContainsKey(required))
                throw new ArgumentException($"--{required} is required (see the comment at the top of Program.cs).");
        return parsed;
    }
}
