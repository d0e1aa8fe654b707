using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HeadlessLoyalty.GraphQL.Tests.Subscriptions;

/// <summary>One server-sent event (or a comment line when <see cref="Comment"/> is set).</summary>
internal sealed record SseEvent(string? Event, string Data, bool Comment = false)
{
    public JsonNode? Json => Data.Length == 0 ? null : JsonNode.Parse(Data);
}

/// <summary>Reads a text/event-stream response event by event with HttpClient. Every wait is bounded.</summary>
internal sealed class SseClient : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, StreamReader reader) => (Response, _reader) = (response, reader);

    public HttpResponseMessage Response { get; }

    public static Task<SseClient> PostAsync(HttpClient client, object body, string? user = null) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        }, user);

    public static Task<SseClient> GetAsync(HttpClient client, string query, string? user = null) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(query)), user);

    private static async Task<SseClient> SendAsync(HttpClient client, HttpRequestMessage request, string? user)
    {
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        if (user is not null)
            request.Headers.Add("X-Test-User", user);
        using var timeout = new CancellationTokenSource(Patience);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        return new SseClient(response, new StreamReader(stream, Encoding.UTF8));
    }

    /// <summary>The next event (comments included when asked), or null at the end of the stream.</summary>
    public async Task<SseEvent?> ReadAsync(bool includeComments = false)
    {
        using var timeout = new CancellationTokenSource(Patience);
        string? type = null;
        var data = new List<string>();
        var sawComment = false;
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null || data.Count > 0)
                    return new SseEvent(type, string.Join('\n', data));
                if (sawComment && includeComments)
                    return new SseEvent(null, "", Comment: true);
                continue;
            }
            if (line.StartsWith(':'))
                sawComment = true;
            else if (line.StartsWith("event:"))
                type = line["event:".Length..].TrimStart();
            else if (line.StartsWith("data:"))
                data.Add(line["data:".Length..].TrimStart());
        }
        return null;
    }

    /// <summary>Every event until the server ends the stream.</summary>
    public async Task<List<SseEvent>> ReadToEndAsync()
    {
        var events = new List<SseEvent>();
        while (await ReadAsync() is { } e)
            events.Add(e);
        return events;
    }

    public void Dispose()
    {
        _reader.Dispose();
        Response.Dispose();
    }
}
