using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.Api.Tests.Infrastructure;

/// <summary>
/// Test-only <c>GET /_test/caller</c>: what the app's pipeline (authentication, tenant resolution) made of the
/// request. Appended after the app's own pipeline, so it sees exactly what an endpoint would.
/// </summary>
internal sealed class CallerProbe : IStartupFilter
{
    public const string Path = "/_test/caller";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use(async (http, nextMiddleware) =>
        {
            if (http.Request.Path != Path)
            {
                await nextMiddleware(http);
                return;
            }
            var caller = http.RequestServices.GetRequiredService<Caller>();
            var tenant = http.RequestServices.GetRequiredService<TenantContext>();
            await http.Response.WriteAsJsonAsync(new CallerView(caller.IsAuthenticated, caller.ProgramId, caller.ProgramSlug,
                caller.Subject, caller.Roles, caller.MemberId, caller.Actor, tenant.ProgramId));
        });
    };
}

public sealed record CallerView(bool IsAuthenticated, Guid ProgramId, string ProgramSlug, string Subject,
    IReadOnlyList<string> Roles, Guid? MemberId, string Actor, Guid? TenantProgramId);
