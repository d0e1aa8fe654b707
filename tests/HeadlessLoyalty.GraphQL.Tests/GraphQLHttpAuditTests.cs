using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using HeadlessLoyalty.GraphQL.Tests.Sample;
using Xunit.Abstractions;

namespace HeadlessLoyalty.GraphQL.Tests;

/// <summary>The public graphql-http audit (npm package graphql-http, auditServer) against the sample server on Kestrel.</summary>
public sealed class GraphQLHttpAuditTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_MUST_item_of_the_graphql_http_audit_passes()
    {
        var auditDir = AuditDirectory();
        if (!Directory.Exists(Path.Combine(auditDir, "node_modules", "graphql-http")))
        {
            var (code, _, error) = await RunAsync("npm", "ci --no-audit --no-fund", auditDir);
            Assert.True(code == 0, "npm ci failed: " + error);
        }
        await using var server = await SampleServer.StartAsync();

        var (exit, stdout, stderr) = await RunAsync("node", $"run-audit.mjs {new Uri(server.Address, "/graphql")}", auditDir);

        Assert.True(exit == 0, "the audit did not run: " + stderr);
        var results = JsonNode.Parse(stdout)!.AsArray();
        Assert.NotEmpty(results);
        var failures = new List<string>();
        foreach (var result in results)
        {
            var status = result!["status"]!.GetValue<string>();
            var line = $"{status,-5} {result["name"]} {result["reason"]}";
            output.WriteLine(line);
            if (status == "error")
                failures.Add(line);
        }
        // graphql-http reports failed MUST items as "error", SHOULD as "warn", MAY as "notice".
        var counts = results.GroupBy(r => r!["status"]!.GetValue<string>()).Select(g => $"{g.Count()} {g.Key}");
        output.WriteLine($"{results.Count} audit items: {string.Join(", ", counts)}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static string AuditDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "audit");

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string fileName, string arguments, string directory)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
