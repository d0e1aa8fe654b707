using HeadlessLoyalty.Api.Data.SqlServer;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Snapshooter.Xunit;

namespace HeadlessLoyalty.Api.Tests.Data;

/// <summary>SQL Server is production-only (docker-compose): its migrations are reviewed as a script snapshot, no server needed.</summary>
public sealed class SqlServerMigrationScriptTests
{
    [Fact]
    public void The_idempotent_SQL_Server_script_matches_the_reviewed_snapshot()
    {
        var options = new DbContextOptionsBuilder<SqlServerLoyaltyDbContext>()
            .UseSqlServer("Server=unused;Database=unused;TrustServerCertificate=true").Options;
        using var db = new SqlServerLoyaltyDbContext(options, new TenantContext());

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [LedgerEntries]", script);
        Snapshot.Match(script.ReplaceLineEndings("\n"));
    }
}
