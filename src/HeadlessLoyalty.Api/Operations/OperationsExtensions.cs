using HeadlessLoyalty.Api.Data;

namespace HeadlessLoyalty.Api.Operations;

public static class OperationsExtensions
{
    /// <summary>Clock, structured logging (JSON outside Development), ProblemDetails for non-GraphQL errors.</summary>
    public static WebApplicationBuilder AddLoyaltyOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => { o.IncludeScopes = true; o.UseUtcTimestamp = true; o.TimestampFormat = "O"; });
        }
        return builder;
    }

    /// <summary>First in the pipeline: errors become ProblemDetails, every request is logged once.</summary>
    public static WebApplication UseLoyaltyOperations(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestLoggingMiddleware>();
        return app;
    }

    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the database answers too (200 or 503).</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapGet("/readyz", async (LoyaltyDbContext db, DatabaseSettings settings, CancellationToken ct) =>
        {
            var reachable = await CanConnectAsync(db, ct);
            return Results.Json(
                new { status = reachable ? "ready" : "unavailable", database = new { provider = settings.Provider.ToString(), reachable } },
                statusCode: reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();
        return app;
    }

    private static async Task<bool> CanConnectAsync(LoyaltyDbContext db, CancellationToken ct)
    {
        try
        {
            return await db.Database.CanConnectAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return false; // a misconfigured connection string throws instead of answering false: still "not ready"
        }
    }
}
