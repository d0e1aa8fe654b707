using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HeadlessLoyalty.GraphQL.Tests;

/// <summary>Small helpers to send GraphQL over HTTP and read the answer.</summary>
internal static class Http
{
    public const string GraphQLResponse = "application/graphql-response+json";

    public static HttpRequestMessage Post(object body, string? accept = GraphQLResponse, string? user = null, string? roles = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        Decorate(request, accept, user, roles);
        return request;
    }

    public static HttpRequestMessage Get(string queryString, string? accept = GraphQLResponse, bool preflight = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?" + queryString);
        Decorate(request, accept, null, null);
        if (preflight)
            request.Headers.Add("GraphQL-Require-Preflight", "1");
        return request;
    }

    private static void Decorate(HttpRequestMessage request, string? accept, string? user, string? roles)
    {
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        if (user is not null)
            request.Headers.Add("X-Test-User", user);
        if (roles is not null)
            request.Headers.Add("X-Test-Roles", roles);
    }

    public static async Task<(HttpResponseMessage Response, JsonNode Body)> ExchangeAsync(this HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonNode.Parse(text)!);
    }

    public static string? FirstCode(this JsonNode body) => body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();

    public static string? MediaType(this HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;
}
