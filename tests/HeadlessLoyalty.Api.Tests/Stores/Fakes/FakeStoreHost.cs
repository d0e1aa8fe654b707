using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HeadlessLoyalty.Api.Tests.Stores.Fakes;

/// <summary>One request a fake store served: method, path and query, status, and the credentials it carried.</summary>
public sealed record FakeRequest(string Method, string PathAndQuery, int Status, string? Body);

/// <summary>What a receiver answered to a delivery a fake store sent.</summary>
public sealed record FakeDeliveryResult(int Status, string Body, string DeliveryId);

/// <summary>Shared plumbing of the fake stores: a Kestrel on 127.0.0.1:0, PHP-style JSON, HMACs and a sender.</summary>
public static class FakeStoreHost
{
    public static async Task<(WebApplication App, string Url)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address.TrimEnd('/'));
    }

    /// <summary>
    /// JSON as PHP's <c>json_encode</c> writes it (WooCommerce's bodies): <c>/</c> escaped as <c>\/</c> and every
    /// non-ASCII character as <c>\uXXXX</c> (UTF-16 units), nothing else escaped beyond JSON's own rules.
    /// </summary>
    public static string PhpJson(JsonNode? node)
    {
        var relaxed = node?.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
        var sb = new StringBuilder(relaxed.Length + 16);
        foreach (var ch in relaxed)
        {
            if (ch == '/')
                sb.Append("\\/");
            else if (ch > 0x7F)
                sb.Append("\\u").Append(((int)ch).ToString("x4"));
            else
                sb.Append(ch);
        }
        // The encoder escapes characters outside the BMP itself, in upper case; PHP writes lower-case hex.
        return System.Text.RegularExpressions.Regex.Replace(sb.ToString(), @"(?<!\\)((?:\\\\)*)\\u([0-9A-F]{4})",
            m => $"{m.Groups[1].Value}\\u{m.Groups[2].Value.ToLowerInvariant()}");
    }

    /// <summary>base64(HMAC-SHA256(body, secret)): the signature both WooCommerce and Shopify put on a delivery.</summary>
    public static string Base64Hmac(string secret, byte[] body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static readonly HttpClient Sender = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<FakeDeliveryResult> PostAsync(string url, HttpContent content, IEnumerable<KeyValuePair<string, string>> headers, string deliveryId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await Sender.SendAsync(request);
            return new FakeDeliveryResult((int)response.StatusCode, await response.Content.ReadAsStringAsync(), deliveryId);
        }
        catch (HttpRequestException e)
        {
            return new FakeDeliveryResult(0, e.Message, deliveryId); // nobody listening: status 0, as a store logs it
        }
    }
}
