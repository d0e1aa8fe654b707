using System.Data.Common;
using HeadlessLoyalty.Api.Data;
using Microsoft.Extensions.Logging.Console;

namespace HeadlessLoyalty.Api.Cli;

/// <summary>
/// <c>dotnet run -- &lt;verb&gt;</c> runs a verb against the same configuration as the server instead of serving;
/// no verb (or only <c>--options</c>) runs the server.
/// </summary>
public static class CliExtensions
{
    public static IServiceCollection AddCliVerb(this IServiceCollection services, string name, string usage, Func<CliContext, Task<int>> run, bool migrateFirst = true) =>
        services.AddSingleton(new CliVerb(name, usage, run, migrateFirst));

    /// <summary>The built-in verbs: migrate, program create, program list, token.</summary>
    public static WebApplicationBuilder AddLoyaltyCli(this WebApplicationBuilder builder, string[] args)
    {
        // A verb's stdout is its result (a token is piped into scripts): logs go to stderr.
        // EF's own error logs are dropped: a failing verb prints one typed error line instead of a stack trace.
        if (IsCliInvocation(args))
        {
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
        }
        builder.Services.AddCliVerb("migrate", "", MigrateVerb.RunAsync, migrateFirst: false);
        builder.Services.AddCliVerb("program create", "<slug> --name <name> --currency <ISO 4217> [--time-zone <IANA id>]", ProgramVerbs.CreateAsync);
        builder.Services.AddCliVerb("program list", "", ProgramVerbs.ListAsync);
        builder.Services.AddCliVerb("token", "--program <slug> --role <role>[,<role>] [--member <id|email|code>] [--subject <sub>] [--lifetime <1h|30m|7d>]", TokenVerb.RunAsync);
        return builder;
    }

    public static bool IsCliInvocation(string[] args) => args.Length > 0 && !args[0].StartsWith('-');

    public static Task<int> RunCliAsync(this WebApplication app, string[] args) =>
        RunCliAsync(app.Services, args, Console.Out, Console.Error);

    public static async Task<int> RunCliAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var verbs = services.GetServices<CliVerb>().ToList();
        // Longest name first, so "program create" wins over a hypothetical "program".
        var verb = verbs.OrderByDescending(v => v.Name.Length).FirstOrDefault(v => Matches(v.Name, args));
        if (verb is null)
        {
            error.WriteLine(args.Length > 0 && args[0] is not ("help" or "--help") ? $"Unknown command '{string.Join(' ', args)}'." : "");
            error.WriteLine("Usage: HeadlessLoyalty.Api [<command>] (no command runs the server)");
            foreach (var v in verbs.OrderBy(v => v.Name))
                error.WriteLine($"  {v.Name} {v.Usage}".TrimEnd());
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var cli = new CliContext(scope.ServiceProvider, new CliArguments(args.Skip(verb.Name.Split(' ').Length)), output, error);
        try
        {
            var settings = scope.ServiceProvider.GetRequiredService<DatabaseSettings>();
            // Verbs work on a fresh embedded install too: the schema is created just like the server would.
            if (verb.MigrateFirst && settings.MigrateOnStartup)
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            return await verb.Run(cli);
        }
        catch (DbException e)
        {
            return cli.Fail("DATABASE_ERROR", $"{e.Message.Split('\n')[0]} (is the database reachable and migrated? run 'migrate')");
        }
        catch (InvalidOperationException e) when (e.InnerException is DbException or null)
        {
            return cli.Fail("CONFIGURATION_ERROR", e.Message);
        }
    }

    private static bool Matches(string name, string[] args)
    {
        var words = name.Split(' ');
        return args.Length >= words.Length && words.Select((w, i) => string.Equals(w, args[i], StringComparison.OrdinalIgnoreCase)).All(x => x);
    }
}
