using HeadlessLoyalty.Api.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HeadlessLoyalty.Api.Tests.Infrastructure;

/// <summary>A throw-away database: created for one factory, deleted with it.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "HL_TEST_POSTGRES";
    public const string RequirePostgresVariable = "HL_REQUIRE_POSTGRES";

    private readonly Func<ValueTask> _drop;

    private TestDatabase(DatabaseProvider provider, string connectionString, string directory, Func<ValueTask> drop) =>
        (Provider, ConnectionString, Directory, _drop) = (provider, connectionString, directory, drop);

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    /// <summary>A private temp folder (the factory's Database:DataDirectory).</summary>
    public string Directory { get; }

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    public static bool PostgresRequired => Environment.GetEnvironmentVariable(RequirePostgresVariable) == "1";

    public static Task<TestDatabase> CreateAsync(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => Task.FromResult(CreateSqlite()),
        DatabaseProvider.Postgres => CreatePostgresAsync(),
        _ => throw new NotSupportedException($"Tests run on SQLite and PostgreSQL, not {provider}."),
    };

    public static TestDatabase CreateSqlite()
    {
        var dir = NewDirectory();
        return new(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dir, "loyalty.db")}", dir, () =>
        {
            SqliteConnection.ClearAllPools();
            TryDelete(dir);
            return ValueTask.CompletedTask;
        });
    }

    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var server = PostgresServer ?? throw new InvalidOperationException(
            $"{PostgresVariable} is not set: it must hold an ADO.NET connection string for a PostgreSQL role that may CREATE DATABASE " +
            "(e.g. Host=127.0.0.1;Port=5432;Username=postgres;Password=x).");
        var name = $"hl_test_{Guid.NewGuid():N}";
        await Execute(server, $"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        var dir = NewDirectory();
        return new(DatabaseProvider.Postgres, connectionString, dir, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            TryDelete(dir);
        });
    }

    /// <summary>
    /// The same database for a second app instance (several-instance tests): its own data folder, and disposing it
    /// leaves the database alone, so one instance can stop while another keeps using it. The owner drops it.
    /// </summary>
    public TestDatabase Shared()
    {
        var dir = NewDirectory();
        return new(Provider, ConnectionString, dir, () => { TryDelete(dir); return ValueTask.CompletedTask; });
    }

    public ValueTask DisposeAsync() => _drop();

    private static async Task Execute(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hl-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    private static void TryDelete(string dir)
    {
        try { System.IO.Directory.Delete(dir, recursive: true); }
        catch (IOException) { } // a file still held open: the OS temp cleaner gets it
    }
}
