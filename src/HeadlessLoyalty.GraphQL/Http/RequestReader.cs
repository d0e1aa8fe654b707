using System.Buffers;
using System.Text.Json;
using GraphQL;
using HeadlessLoyalty.GraphQL.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace HeadlessLoyalty.GraphQL.Http;

/// <summary>Reads GET parameters or a POST JSON body into an <see cref="HttpGraphQLRequest"/>, with precise rejections.</summary>
internal static class RequestReader
{
    public const string PreflightHeader = "GraphQL-Require-Preflight";

    public static RequestRejection? CheckCsrf(HttpRequest request)
    {
        // Apollo / GraphQL.Server convention: a browser cannot send a custom header or a non-simple content type
        // cross-site without a CORS preflight, so either one proves the request is not a forged form post or link.
        if (request.Headers.ContainsKey(PreflightHeader))
            return null;
        if (request.ContentType is { Length: > 0 } contentType
            && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            && !MediaTypes.IsSimpleContentType(parsed.MediaType.Value ?? ""))
            return null;
        return new RequestRejection(StatusCodes.Status400BadRequest, ErrorCodes.CsrfPreflightRequired,
            $"This request could be a cross-site request forgery: send Content-Type application/json or a '{PreflightHeader}' header.");
    }

    public static (HttpGraphQLRequest? Request, RequestRejection? Rejection) ReadGet(HttpRequest request, IGraphQLTextSerializer serializer)
    {
        var q = request.Query;
        var variables = ParseObjectParameter(q["variables"], "variables", serializer, out var rejection);
        if (rejection is not null)
            return (null, rejection);
        var extensions = ParseObjectParameter(q["extensions"], "extensions", serializer, out rejection);
        if (rejection is not null)
            return (null, rejection);
        return Complete(new HttpGraphQLRequest(Single(q["query"]), Single(q["operationName"]), variables, extensions, Single(q["documentId"])));
    }

    public static async Task<(HttpGraphQLRequest? Request, RequestRejection? Rejection)> ReadPostAsync(
        HttpRequest request, long maxBytes, IGraphQLTextSerializer serializer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.ContentType) || !MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
            return (null, Reject(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, "Send the request body as Content-Type application/json."));
        if (!contentType.MediaType.Equals(MediaTypes.Json, StringComparison.OrdinalIgnoreCase))
            return (null, Reject(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, $"Content-Type '{contentType.MediaType}' is not supported; use application/json."));
        if (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            return (null, Reject(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, "Only utf-8 request bodies are supported."));
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));

        var body = await ReadBoundedAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
            return (null, TooLarge(maxBytes));
        if (body.Length == 0)
            return (null, BadRequest("The request body is empty; send a JSON object with a 'query' or 'documentId'."));

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return (null, BadRequest($"The request body is not valid JSON: {e.Message}"));
        }

        using (json)
            return ReadObject(json.RootElement, serializer);
    }

    /// <summary>Reads a GraphQL request object (a POST body, a WebSocket <c>subscribe</c> payload).</summary>
    public static (HttpGraphQLRequest? Request, RequestRejection? Rejection) ReadObject(JsonElement root, IGraphQLTextSerializer serializer)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return (null, BadRequest("The request body must be a JSON object."));
        if (!TryString(root, "query", out var query, out var rejection)
            || !TryString(root, "operationName", out var operationName, out rejection)
            || !TryString(root, "documentId", out var documentId, out rejection)
            || !TryObject(root, "variables", serializer, out var variables, out rejection)
            || !TryObject(root, "extensions", serializer, out var extensions, out rejection))
            return (null, rejection);
        return Complete(new HttpGraphQLRequest(query, operationName, variables, extensions, documentId));
    }

    private static (HttpGraphQLRequest?, RequestRejection?) Complete(HttpGraphQLRequest request) =>
        string.IsNullOrEmpty(request.Query) && string.IsNullOrEmpty(request.DocumentId)
            ? (null, BadRequest("The request has no 'query' (or 'documentId')."))
            : (request, null);

    private static async Task<byte[]?> ReadBoundedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    private static bool TryString(JsonElement root, string name, out string? value, out RequestRejection? rejection)
    {
        value = null;
        rejection = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return true;
        if (element.ValueKind != JsonValueKind.String)
        {
            rejection = BadRequest($"'{name}' must be a string.");
            return false;
        }
        value = element.GetString();
        return true;
    }

    private static bool TryObject(JsonElement root, string name, IGraphQLTextSerializer serializer, out Inputs? value, out RequestRejection? rejection)
    {
        value = null;
        rejection = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return true;
        if (element.ValueKind != JsonValueKind.Object)
        {
            rejection = BadRequest($"'{name}' must be a JSON object.");
            return false;
        }
        value = serializer.Deserialize<Inputs>(element.GetRawText());
        return true;
    }

    private static Inputs? ParseObjectParameter(string? text, string name, IGraphQLTextSerializer serializer, out RequestRejection? rejection)
    {
        rejection = null;
        if (string.IsNullOrEmpty(text))
            return null;
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Null)
                return null;
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                rejection = BadRequest($"'{name}' must be a JSON object.");
                return null;
            }
            return serializer.Deserialize<Inputs>(text);
        }
        catch (JsonException)
        {
            rejection = BadRequest($"'{name}' is not valid JSON.");
            return null;
        }
    }

    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 0 ? null : values[0];

    private static RequestRejection BadRequest(string message) => new(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, message);

    private static RequestRejection TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, $"The request body exceeds {maxBytes} bytes.");

    private static RequestRejection Reject(int status, string code, string message) => new(status, code, message);
}
