using System.Net;
using System.Text.Json;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tests.Infrastructure;

namespace HeadlessLoyalty.Api.Tests.Operations;

public abstract class HealthTests(DatabaseFixture fixture)
{
    [DbFact]
    public async Task Healthz_answers_while_the_process_runs()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [DbFact]
    public async Task Readyz_is_200_when_the_database_answers()
    {
        var response = await fixture.Factory.CreateClient().GetAsync("/readyz");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(fixture.Provider.ToString(), json.RootElement.GetProperty("database").GetProperty("provider").GetString());
    }
}

public sealed class HealthTestsOnSqlite(SqliteFixture fixture) : HealthTests(fixture), IClassFixture<SqliteFixture>;

public sealed class HealthTestsOnPostgres(PostgresFixture fixture) : HealthTests(fixture), IClassFixture<PostgresFixture>;

public sealed class ReadinessWithoutDatabaseTests
{
    /// <summary>With the scheduler on too: its clustered store lives in that database, and it must not hold the start.</summary>
    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    public async Task Readyz_is_503_with_a_json_reason_when_the_database_is_unreachable_while_healthz_stays_200(string jobsEnabled)
    {
        // A PostgreSQL address nothing listens on, and no start-up migration: the process runs, the database does not.
        await using var app = new LoyaltyApiFactory(TestDatabase.CreateSqlite(), new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2",
            ["Database:MigrateOnStartup"] = "false",
            ["Jobs:Enabled"] = jobsEnabled,
        });
        var client = app.CreateClient();

        var ready = await client.GetAsync("/readyz");
        var healthy = await client.GetAsync("/healthz");
        using var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("unavailable", json.RootElement.GetProperty("status").GetString());
        Assert.False(json.RootElement.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }
}
