using System.Security.Claims;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HeadlessLoyalty.GraphQL.Tests.Sample;

/// <summary>
/// The sample server on Kestrel at 127.0.0.1 on a random port: every test talks real HTTP to it.
/// Callers identify with "X-Test-User: name" and "X-Test-Roles: a,b" (a stand-in for bearer authentication).
/// </summary>
public sealed class SampleServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SampleServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<SampleServer> StartAsync(Action<GraphQLHttpOptions>? configure = null, Action<IGraphQLBuilder>? graphQL = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddScoped<AuthorBatch>();
        builder.Services.AddSingleton<BatchLog>();
        builder.Services.AddScoped<ConcurrencyProbe>();
        builder.Services.AddGraphQL(b =>
        {
            b.AddSchema<SampleSchema>().AddSystemTextJson().AddGraphTypes(typeof(SampleSchema).Assembly).AddHttpTransport(configure);
            graphQL?.Invoke(b);
        });
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue("X-Test-User", out var user))
            {
                var claims = new List<Claim> { new(ClaimTypes.Name, user.ToString()) };
                foreach (var role in context.Request.Headers["X-Test-Roles"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
                    claims.Add(new Claim(ClaimTypes.Role, role));
                context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
            }
            return next(context);
        });
        app.MapGraphQLHttp<SampleSchema>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SampleServer(app, new Uri(address));
    }

    /// <summary>Stops the host as a shutdown would (ApplicationStopping fires first).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}

/// <summary>A rule that depends on the user: denies "mallory". Registered to run on cached documents too.</summary>
public sealed class DenyMalloryRule : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.User?.Identity?.Name == "mallory")
            context.ReportError(new ValidationError("Mallory may not query.") { Code = "FORBIDDEN" });
        if (context.User?.Identity?.IsAuthenticated != true && context.Document.Source.ToString().Contains("whoami"))
            context.ReportError(new ValidationError("Sign in to ask who you are.") { Code = "UNAUTHENTICATED" });
        return default;
    }
}
