using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Ide;

/// <summary>
/// GraphiQL 3.8.3 with React 18.3.1 (prebuilt UMD files from npm, MIT licensed, licenses beside them), embedded in
/// the assembly and served from <c>{pattern}/ide/</c>, so the IDE needs no CDN. Only when EnableIde is set.
/// </summary>
internal static class IdeAssets
{
    public const string Route = "/ide/{file}";
    private const string ResourcePrefix = "HeadlessLoyalty.GraphQL.Ide.";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["graphiql.min.js"] = "text/javascript; charset=utf-8",
        ["graphiql.min.css"] = "text/css; charset=utf-8",
        ["react.production.min.js"] = "text/javascript; charset=utf-8",
        ["react-dom.production.min.js"] = "text/javascript; charset=utf-8",
        ["LICENSE.graphiql.txt"] = "text/plain; charset=utf-8",
        ["LICENSE.react.txt"] = "text/plain; charset=utf-8",
        ["LICENSE.react-dom.txt"] = "text/plain; charset=utf-8",
    };

    private static readonly Lazy<string> Page = new(() => ReadText("index.html"));

    public static async Task WritePageAsync(HttpContext context)
    {
        var assets = context.Request.PathBase.Add(context.Request.Path).Value!.TrimEnd('/') + "/ide";
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(Page.Value.Replace("{{ASSETS}}", assets, StringComparison.Ordinal), context.RequestAborted);
    }

    public static async Task Serve(HttpContext context, string file)
    {
        var options = context.RequestServices.GetRequiredService<GraphQLHttpOptions>();
        if (!options.EnableIde || !ContentTypes.TryGetValue(file, out var contentType))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await using var stream = Open("assets." + file);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = stream.Length;
        // The files are pinned to one version, so browsers may keep them.
        context.Response.Headers.CacheControl = "public, max-age=86400";
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static string ReadText(string name)
    {
        using var reader = new StreamReader(Open(name));
        return reader.ReadToEnd();
    }

    private static Stream Open(string name) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"Embedded IDE resource '{name}' is missing.");
}
