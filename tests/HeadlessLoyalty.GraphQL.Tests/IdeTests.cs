using System.Collections.Concurrent;
using System.Net;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Microsoft.Playwright;

namespace HeadlessLoyalty.GraphQL.Tests;

public sealed class IdeTests
{
    private static HttpRequestMessage BrowserGet(string path = "/graphql")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        return request;
    }

    [Fact]
    public async Task A_browser_gets_the_ide_page_when_enabled()
    {
        await using var server = await SampleServer.StartAsync(o => o.EnableIde = true);
        var response = await server.Client.SendAsync(BrowserGet());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/graphql/ide/graphiql.min.js", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public async Task No_ide_page_or_assets_when_disabled()
    {
        await using var server = await SampleServer.StartAsync();
        var page = await server.Client.SendAsync(BrowserGet());
        var asset = await server.Client.SendAsync(BrowserGet("/graphql/ide/graphiql.min.js"));

        Assert.NotEqual("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, asset.StatusCode);
    }

    [Theory]
    [InlineData("graphiql.min.js", "text/javascript")]
    [InlineData("graphiql.min.css", "text/css")]
    [InlineData("react.production.min.js", "text/javascript")]
    [InlineData("react-dom.production.min.js", "text/javascript")]
    [InlineData("LICENSE.graphiql.txt", "text/plain")]
    public async Task Ide_assets_are_served_from_the_assembly(string file, string mediaType)
    {
        await using var server = await SampleServer.StartAsync(o => o.EnableIde = true);
        var response = await server.Client.SendAsync(BrowserGet("/graphql/ide/" + file));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000);
    }

    [Fact]
    public async Task Unknown_ide_files_are_404()
    {
        await using var server = await SampleServer.StartAsync(o => o.EnableIde = true);
        var response = await server.Client.SendAsync(BrowserGet("/graphql/ide/..%2Fsecrets.json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task In_a_real_browser_without_internet_the_ide_loads_and_runs_a_query()
    {
        await using var server = await SampleServer.StartAsync(o => o.EnableIde = true);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var foreign = new ConcurrentBag<string>();
        // Every request must stay on this machine: anything else is recorded and aborted.
        await page.RouteAsync("**/*", async route =>
        {
            var host = new Uri(route.Request.Url).Host;
            if (host == "127.0.0.1")
                await route.ContinueAsync();
            else
            {
                foreign.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });

        await page.GotoAsync(new Uri(server.Address, "/graphql").ToString());
        var editor = page.Locator(".graphiql-query-editor .CodeMirror").First;
        await editor.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.EvaluateAsync("() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ hello(name: \"Browser\") }')");
        await page.Locator(".graphiql-execute-button").ClickAsync();
        var result = page.Locator(".graphiql-response");
        await Assertions.Expect(result).ToContainTextAsync("Hello, Browser!", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "headlessloyalty-graphiql.png") });

        Assert.Empty(foreign);
    }
}
