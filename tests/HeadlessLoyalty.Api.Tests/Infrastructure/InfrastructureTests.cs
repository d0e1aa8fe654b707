using HeadlessLoyalty.Api.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.Api.Tests.Infrastructure;

public abstract class InfrastructureTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;

    [DbFact]
    public async Task The_sql_counter_sees_each_command_the_app_runs()
    {
        var slug = $"sql-{Guid.NewGuid():N}"[..12];
        await _app.CreateProgramAsync(slug);
        await _app.WithTenantAsync(slug, db => db.Tiers.CountAsync()); // warm the program lookup cache
        _app.SqlCommands.Reset();

        await _app.WithTenantAsync(slug, async db => { await db.Members.CountAsync(); await db.Tiers.ToListAsync(); });

        Assert.Equal(2, _app.SqlCommands.Count);
        Assert.Contains(_app.SqlCommands.Commands, c => c.Contains("Tiers", StringComparison.Ordinal));
    }

    [DbFact]
    public async Task Data_protection_keys_are_stored_in_the_database()
    {
        var protector = _app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests");

        var roundTrip = protector.Unprotect(protector.Protect("secret"));

        Assert.Equal("secret", roundTrip);
        Assert.True(await _app.WithTenantlessDb(db => db.DataProtectionKeys.AnyAsync()));
    }
}

public sealed class InfrastructureTestsOnSqlite(SqliteFixture fixture) : InfrastructureTests(fixture), IClassFixture<SqliteFixture>;

public sealed class InfrastructureTestsOnPostgres(PostgresFixture fixture) : InfrastructureTests(fixture), IClassFixture<PostgresFixture>;
