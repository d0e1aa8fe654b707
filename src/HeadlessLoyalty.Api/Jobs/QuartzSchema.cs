using System.Text.RegularExpressions;
using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HeadlessLoyalty.Api.Jobs;

/// <summary>
/// The tables of Quartz's clustered job store (PostgreSQL and SQL Server), created by our migrations rather than by
/// the scheduler at start, so the application's database account needs no DDL rights at run time and a DBA who
/// applies <c>migrate --script</c> gets them too.
/// <para>
/// The DDL is Quartz's own fresh-install script for the dialect, embedded in the Quartz assembly (the one its
/// <c>ProvisionSchema()</c> runs): the schema therefore matches the referenced Quartz exactly, and every statement
/// creates only what is missing. A Quartz upgrade that adds columns needs a new migration running that release's
/// upgrade script (<c>database/migrations/&lt;version&gt;/</c> in Quartz); the scheduler validates the schema at
/// start and names the missing script, and <c>JobStoreSchemaTests</c> fails first.
/// </para>
/// </summary>
public static partial class QuartzSchema
{
    /// <summary>Prefix of every Quartz table: kept apart from the loyalty tables.</summary>
    public const string TablePrefix = "qrtz_";

    /// <summary>The statements that create the schema, the table prefix substituted, in order.</summary>
    public static IReadOnlyList<string> CreateStatements(DatabaseProvider provider)
    {
        var resource = provider switch
        {
            DatabaseProvider.Postgres => "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql",
            DatabaseProvider.SqlServer => "Quartz.Impl.AdoJobStore.Schema.create_sqlServer.sql",
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "The embedded SQLite default runs the in-memory job store."),
        };
        var assembly = typeof(Quartz.IScheduler).Assembly;
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{assembly.GetName()} holds no '{resource}': the Quartz version changed its schema scripts.");
        using var reader = new StreamReader(stream);
        // {0}: the prefix as tables are named; {1}: the prefix inside index and constraint names (no schema qualifier).
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        return script.Split(["\r\n--;;", "\n--;;"], StringSplitOptions.None)
            .Select(s => s.Trim())
            .Where(s => s.Split('\n').Any(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal) && line.Trim().Length > 0))
            .ToList();
    }

    /// <summary>For a migration's <c>Up</c>.</summary>
    public static void Create(MigrationBuilder migration, DatabaseProvider provider)
    {
        foreach (var statement in CreateStatements(provider))
            migration.Sql(statement);
    }

    /// <summary>For a migration's <c>Down</c>: every table the script creates, dependants first.</summary>
    public static void Drop(MigrationBuilder migration, DatabaseProvider provider)
    {
        foreach (var table in TableNames(provider).Reverse())
            migration.Sql($"DROP TABLE {table}");
    }

    /// <summary>The tables the script creates, in creation order (read from the script, so the list cannot drift from it).</summary>
    public static IReadOnlyList<string> TableNames(DatabaseProvider provider) =>
        CreateStatements(provider)
            .Select(s => CreatedTable().Match(s))
            .Where(m => m.Success)
            .Select(m => m.Groups["table"].Value)
            .ToList();

    [GeneratedRegex(@"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<table>[\w.]+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreatedTable();
}
