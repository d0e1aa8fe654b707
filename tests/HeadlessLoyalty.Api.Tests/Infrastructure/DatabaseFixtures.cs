using HeadlessLoyalty.Api.Data;

namespace HeadlessLoyalty.Api.Tests.Infrastructure;

/// <summary>One started app over one throw-away database, shared by the tests of a class (xunit class fixture).</summary>
public abstract class DatabaseFixture(DatabaseProvider provider) : IAsyncLifetime
{
    private LoyaltyApiFactory? _factory;

    public DatabaseProvider Provider => provider;

    public LoyaltyApiFactory Factory => _factory ?? throw new InvalidOperationException($"The {provider} fixture did not start.");

    public virtual async Task InitializeAsync() => _factory = await LoyaltyApiFactory.StartAsync(provider);

    public async Task DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
    }
}

public sealed class SqliteFixture() : DatabaseFixture(DatabaseProvider.Sqlite);

/// <summary>
/// PostgreSQL on <c>HL_TEST_POSTGRES</c>. Without it, [DbFact] tests of the class are skipped, unless
/// <c>HL_REQUIRE_POSTGRES=1</c> (the CI/test command sets it), in which case they fail with the reason.
/// </summary>
public sealed class PostgresFixture() : DatabaseFixture(DatabaseProvider.Postgres)
{
    public override Task InitializeAsync()
    {
        if (TestDatabase.PostgresServer is null && !TestDatabase.PostgresRequired)
            return Task.CompletedTask; // the tests are skipped by DbFact; nothing to start
        return base.InitializeAsync(); // throws the explanation when the variable is missing
    }
}
