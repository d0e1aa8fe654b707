using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HeadlessLoyalty.Api.Data.Sqlite;

/// <summary>The Sqlite flavour of <see cref="LoyaltyDbContext"/>: exists only to own its migrations. Code uses LoyaltyDbContext.</summary>
public sealed class SqliteLoyaltyDbContext(DbContextOptions<SqliteLoyaltyDbContext> options, TenantContext tenant)
    : LoyaltyDbContext(options, tenant)
{
    /// <summary>
    /// SQLite has no DateTimeOffset type: stored as an ordering-preserving integer so that ORDER BY and range
    /// filters on timestamps translate.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>() // nullable ones included
            .HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLoyaltyDbContext>
{
    public SqliteLoyaltyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteLoyaltyDbContext>().UseSqlite("Data Source=design.db").Options, new TenantContext());
}
