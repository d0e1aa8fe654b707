using System.Diagnostics;

namespace HeadlessLoyalty.Api.Operations;

/// <summary>One structured line per request (method, path, status, duration), instead of the framework's chatty logs.</summary>
internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            Log(logger, http.Request.Method, http.Request.Path, http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void Log(ILogger logger, string method, string path, int statusCode, double elapsedMs);
}
