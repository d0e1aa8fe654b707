namespace HeadlessLoyalty.Api.Data;

public enum DatabaseProvider { Sqlite, Postgres, SqlServer }

/// <summary>Section <c>Database</c>. Everything has a default so that a bare start runs on an embedded SQLite file.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>Falls back to <c>ConnectionStrings:Loyalty</c>, then (SQLite only) to a file in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }
    /// <summary>Where the embedded database and the local signing key live; default <c>&lt;content root&gt;/data</c>.</summary>
    public string? DataDirectory { get; set; }
    /// <summary>Default true for SQLite, false for server databases (run the <c>migrate</c> verb from the deployment instead).</summary>
    public bool? MigrateOnStartup { get; set; }

    public bool ShouldMigrateOnStartup => MigrateOnStartup ?? Provider == DatabaseProvider.Sqlite;
}
