using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Data;

public abstract class MigrationTests(DatabaseFixture fixture)
{
    [DbFact]
    public async Task Start_up_applies_every_migration_of_the_provider()
    {
        var (pending, applied, all) = await fixture.Factory.WithTenantlessDb(async db =>
            ((await db.Database.GetPendingMigrationsAsync()).ToList(), (await db.Database.GetAppliedMigrationsAsync()).ToList(), db.Database.GetMigrations().ToList()));

        Assert.Empty(pending);
        Assert.NotEmpty(all);
        Assert.Equal(all, applied);
        Assert.Contains(applied, m => m.EndsWith("_Initial", StringComparison.Ordinal));
    }

    [DbFact]
    public async Task The_migrated_schema_holds_every_entity_and_the_data_protection_keys()
    {
        await fixture.Factory.CreateProgramAsync("schema-check");
        var counts = await fixture.Factory.WithTenantAsync("schema-check", async db => new[]
        {
            await db.Programs.CountAsync(), await db.Members.CountAsync(), await db.MemberExternalIds.CountAsync(),
            await db.LedgerEntries.CountAsync(), await db.Balances.CountAsync(), await db.Tiers.CountAsync(),
            await db.IdempotencyRecords.CountAsync(), await db.DataProtectionKeys.CountAsync(),
        });
        Assert.True(counts[0] >= 1);
        Assert.All(counts[1..7], c => Assert.Equal(0, c));
    }
}

public sealed class MigrationTestsOnSqlite(SqliteFixture fixture) : MigrationTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MigrationTestsOnPostgres(PostgresFixture fixture) : MigrationTests(fixture), IClassFixture<PostgresFixture>;
