using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HeadlessLoyalty.Api.Tests.GraphQL;

/// <summary>One GraphQL-over-HTTP exchange: the status, the response headers and the parsed body.</summary>
public sealed class GraphQLResult(HttpStatusCode status, HttpResponseMessage response, string text, JsonDocument? body) : IDisposable
{
    public HttpStatusCode Status => status;
    public HttpResponseMessage Response => response;
    /// <summary>The raw body: failure messages print it, and "no value of B appears" checks search it.</summary>
    public string Text => text;
    public JsonDocument? Body => body;

    public JsonElement Root => body?.RootElement ?? throw new InvalidOperationException($"The response ({(int)status}) is not JSON: {text}");

    /// <summary><c>data</c>, which must be present (an object).</summary>
    public JsonElement Data => Root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object
        ? d
        : throw new InvalidOperationException($"The response ({(int)status}) has no data: {text}");

    /// <summary>Every <c>errors[].extensions.code</c> (null for an error without one).</summary>
    public IReadOnlyList<string?> ErrorCodes =>
        body is not null && Root.ValueKind == JsonValueKind.Object && Root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
            ? [.. errors.EnumerateArray().Select(e =>
                e.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var c) ? c.GetString() : null)]
            : [];

    public bool HasErrors => ErrorCodes.Count > 0;

    /// <summary>The codes of <c>data.{field}.userErrors</c> of a mutation payload.</summary>
    public IReadOnlyList<string> UserErrorCodes(string field) =>
        [.. Data.GetProperty(field).GetProperty("userErrors").EnumerateArray().Select(e => e.GetProperty("code").GetString()!)];

    public override string ToString() => $"{(int)status} {response.Content.Headers.ContentType}: {text}";

    public void Dispose()
    {
        body?.Dispose();
        response.Dispose();
    }
}

public static class GraphQLClient
{
    public const string Path = "/graphql";

    /// <summary>POSTs <c>{ query, variables }</c> as application/json and parses the answer.</summary>
    public static Task<GraphQLResult> PostGraphQLAsync(this HttpClient client, string query, object? variables = null, string? accept = null)
    {
        var json = JsonSerializer.Serialize(new { query, variables });
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (accept is not null)
            request.Headers.Accept.ParseAdd(accept);
        return client.SendGraphQLAsync(request);
    }

    /// <summary>Runs a query or mutation that must succeed as GraphQL (200, no errors) and returns a copy of <c>data.{field}</c>.</summary>
    public static async Task<JsonElement> FieldAsync(this HttpClient client, string query, string field, object? variables = null)
    {
        using var result = await client.PostGraphQLAsync(query, variables);
        Assert.True(result.Status == HttpStatusCode.OK && !result.HasErrors, result.ToString());
        return result.Data.GetProperty(field).Clone();
    }

    /// <summary><see cref="FieldAsync"/> of a mutation taking one <c>$input</c> variable.</summary>
    public static Task<JsonElement> MutateInputAsync(this HttpClient client, string query, string field, object input) =>
        client.FieldAsync(query, field, new { input });

    /// <summary>A mutation payload's <c>userErrors</c> as <c>CODE:field</c> (the field empty when the error names none).</summary>
    public static string[] UserErrorsOf(JsonElement payload) =>
        [.. payload.GetProperty("userErrors").EnumerateArray().Select(e => $"{e.GetProperty("code").GetString()}:{e.GetProperty("field").GetString()}")];

    /// <summary>Sends any request (raw bodies, GET, odd headers) and parses the answer when it is JSON.</summary>
    public static async Task<GraphQLResult> SendGraphQLAsync(this HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            JsonDocument? body = null;
            try
            {
                if (text.Length > 0)
                    body = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON (e.g. the IDE's HTML): Text still has it.
            }
            return new GraphQLResult(response.StatusCode, response, text, body);
        }
    }

    /// <summary>
    /// POSTs a subscription over graphql-sse (distinct connections) and parses its FIRST result, then drops the stream.
    /// A refusal before the stream starts (401, 403) is parsed like a plain HTTP answer.
    /// </summary>
    public static async Task<GraphQLResult> FirstSseResultAsync(this HttpClient client, string query, object? variables = null) =>
        (await client.SseResultsAsync(query, variables, 1))[0];

    /// <summary>
    /// POSTs a subscription over graphql-sse and parses its first <paramref name="count"/> results (fewer if the stream
    /// ends), then drops the stream. A refusal before the stream starts is one result parsed like a plain HTTP answer.
    /// </summary>
    public static async Task<List<GraphQLResult>> SseResultsAsync(this HttpClient client, string query, object? variables, int count)
    {
        var json = JsonSerializer.Serialize(new { query, variables });
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // against a hang, not a timing assertion
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            var text = await response.Content.ReadAsStringAsync(guard.Token);
            return [new GraphQLResult(response.StatusCode, response, text, text.Length > 0 ? JsonDocument.Parse(text) : null)];
        }
        var results = new List<GraphQLResult>();
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token)))
        {
            while (results.Count < count && await reader.ReadLineAsync(guard.Token) is { } line)
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                    results.Add(new GraphQLResult(response.StatusCode, new HttpResponseMessage(response.StatusCode), line[6..], JsonDocument.Parse(line[6..])));
        }
        response.Dispose();
        return results.Count > 0 ? results : [new GraphQLResult(response.StatusCode, new HttpResponseMessage(response.StatusCode), "", null)];
    }

    /// <summary>A GET with the query in the query string (and the CSRF header the transport asks GET callers for).</summary>
    public static HttpRequestMessage Get(string query, object? variables = null, bool preflightHeader = true)
    {
        var url = $"{Path}?query={Uri.EscapeDataString(query)}";
        if (variables is not null)
            url += $"&variables={Uri.EscapeDataString(JsonSerializer.Serialize(variables))}";
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (preflightHeader)
            request.Headers.Add("GraphQL-Require-Preflight", "1");
        return request;
    }

    public static HttpRequestMessage RawPost(string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
    }
}
