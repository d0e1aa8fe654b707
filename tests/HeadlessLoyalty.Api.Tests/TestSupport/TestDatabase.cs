using System.Reflection;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using Xunit.Sdk;

namespace HeadlessLoyalty.Api.Tests.TestSupport;

/// <summary>
/// A throw-away database with two programs (A and B) for the ledger tests: a temp-file SQLite database or a uniquely
/// named PostgreSQL database (from HL_TEST_POSTGRES), schema from EnsureCreated, dropped on dispose.
/// Kept in one class so it can be swapped for the shared fixture once migrations exist.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    private readonly Func<DbContextOptions> _options;
    private readonly Func<Task> _drop;

    public string Provider { get; }
    public Guid ProgramA { get; } = Guid.NewGuid();
    public Guid ProgramB { get; } = Guid.NewGuid();

    private TestDatabase(string provider, Func<DbContextOptions> options, Func<Task> drop)
    {
        Provider = provider;
        _options = options;
        _drop = drop;
    }

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        TestDatabase db;
        if (provider == Sqlite)
        {
            var path = Path.Combine(Path.GetTempPath(), $"hl-ledger-{Guid.NewGuid():N}.db");
            // Pooling off so the file can be deleted; the busy timeout lets concurrent writers queue.
            var cs = $"Data Source={path};Pooling=False;Default Timeout=60";
            db = new TestDatabase(provider,
                () => new DbContextOptionsBuilder<LoyaltyDbContext>().UseSqlite(cs).Options,
                () => { File.Delete(path); return Task.CompletedTask; });
        }
        else
        {
            var baseCs = Environment.GetEnvironmentVariable("HL_TEST_POSTGRES")
                ?? throw new InvalidOperationException("HL_TEST_POSTGRES is not set but HL_REQUIRE_POSTGRES=1.");
            var cs = new NpgsqlConnectionStringBuilder(baseCs) { Database = $"hl_ledger_{Guid.NewGuid():N}", MaxPoolSize = 120 }.ConnectionString;
            db = new TestDatabase(provider,
                () => new DbContextOptionsBuilder<LoyaltyDbContext>().UseNpgsql(cs).Options,
                async () =>
                {
                    NpgsqlConnection.ClearAllPools();
                    await using var ctx = new LoyaltyDbContext(new DbContextOptionsBuilder<LoyaltyDbContext>().UseNpgsql(cs).Options, new TenantContext());
                    await ctx.Database.EnsureDeletedAsync();
                });
        }

        await using (var ctx = db.Context(null))
        {
            await ctx.Database.EnsureCreatedAsync();
            var now = DateTimeOffset.UtcNow;
            ctx.Programs.Add(new LoyaltyProgram { Id = db.ProgramA, Slug = "a", Name = "A", Currency = "EUR", CreatedAt = now });
            ctx.Programs.Add(new LoyaltyProgram { Id = db.ProgramB, Slug = "b", Name = "B", Currency = "EUR", CreatedAt = now });
            await ctx.SaveChangesAsync();
        }
        return db;
    }

    /// <summary>A fresh context scoped to <paramref name="programId"/> (null: no program, sees no tenant rows).</summary>
    public LoyaltyDbContext Context(Guid? programId)
    {
        var tenant = new TenantContext();
        if (programId is { } id)
            tenant.Set(id);
        return Provider == Sqlite ? new SqliteLoyaltyDbContext(_options(), tenant) : new LoyaltyDbContext(_options(), tenant);
    }

    public LoyaltyDbContext ContextA() => Context(ProgramA);

    public LoyaltyDbContext ContextB() => Context(ProgramB);

    public async ValueTask DisposeAsync() => await _drop();

    /// <summary>SQLite cannot compare or order DateTimeOffset text; store it as a sortable binary long, as the SQLite provider setup will.</summary>
    private sealed class SqliteLoyaltyDbContext(DbContextOptions options, TenantContext tenant) : LoyaltyDbContext(options, tenant)
    {
        protected override void ConfigureConventions(ModelConfigurationBuilder c)
        {
            c.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}

/// <summary>Runs the theory on the SQLite temp-file database.</summary>
[DataDiscoverer("Xunit.Sdk.DataDiscoverer", "xunit.core")]
public sealed class SqliteDataAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[TestDatabase.Sqlite]];
}

/// <summary>
/// Runs the theory on PostgreSQL (HL_TEST_POSTGRES). Without it the row is skipped with a reason, unless
/// HL_REQUIRE_POSTGRES=1, where it runs and fails.
/// </summary>
[DataDiscoverer("Xunit.Sdk.DataDiscoverer", "xunit.core")]
public sealed class PostgresDataAttribute : DataAttribute
{
    public PostgresDataAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("HL_TEST_POSTGRES"))
            && Environment.GetEnvironmentVariable("HL_REQUIRE_POSTGRES") != "1")
            Skip = "HL_TEST_POSTGRES is not set (set HL_REQUIRE_POSTGRES=1 to make this a failure).";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[TestDatabase.Postgres]];
}
