using Microsoft.Net.Http.Headers;

namespace HeadlessLoyalty.GraphQL.Http;

/// <summary>Accept-header negotiation between the two GraphQL response media types.</summary>
internal static class MediaTypes
{
    public const string GraphQLResponse = "application/graphql-response+json";
    public const string Json = "application/json";

    /// <summary>
    /// The media type to answer with, or null when the client accepts neither (406). No Accept header, and
    /// <c>*/*</c> or <c>application/*</c>, get <c>application/json</c>: the spec keeps it the default for legacy clients
    /// until they ask for the new type explicitly. A charset other than utf-8 makes an entry unacceptable.
    /// </summary>
    public static string? Negotiate(IList<string> acceptHeaders)
    {
        if (acceptHeaders.Count == 0 || acceptHeaders.All(string.IsNullOrWhiteSpace))
            return Json;
        if (!MediaTypeHeaderValue.TryParseList(acceptHeaders, out var accepted))
            return null;

        string? best = null;
        double bestQuality = 0;
        foreach (var entry in accepted)
        {
            var quality = entry.Quality ?? 1.0;
            if (quality <= 0 || (entry.Charset.HasValue && !entry.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
                continue;
            var candidate = entry.MediaType.Value?.ToLowerInvariant() switch
            {
                GraphQLResponse => GraphQLResponse,
                Json or "application/*" or "*/*" => Json,
                _ => null,
            };
            // Ties prefer the explicit graphql-response+json type.
            if (candidate is not null && (quality > bestQuality || (quality == bestQuality && candidate == GraphQLResponse)))
                (best, bestQuality) = (candidate, quality);
        }
        return best;
    }

    public static bool AcceptsHtml(IList<string> acceptHeaders) =>
        MediaTypeHeaderValue.TryParseList(acceptHeaders, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>Content types a browser may send cross-site without a CORS preflight (CSRF risk).</summary>
    public static bool IsSimpleContentType(string mediaType) => mediaType.ToLowerInvariant() is
        "application/x-www-form-urlencoded" or "multipart/form-data" or "text/plain";
}
