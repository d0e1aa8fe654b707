using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HeadlessLoyalty.Api.Data.SqlServer;

/// <summary>The SqlServer flavour of <see cref="LoyaltyDbContext"/>: exists only to own its migrations. Code uses LoyaltyDbContext.</summary>
public sealed class SqlServerLoyaltyDbContext(DbContextOptions<SqlServerLoyaltyDbContext> options, TenantContext tenant)
    : LoyaltyDbContext(options, tenant)
{
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the host.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerLoyaltyDbContext>
{
    public SqlServerLoyaltyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerLoyaltyDbContext>().UseSqlServer("Server=localhost;Database=design;TrustServerCertificate=true").Options, new TenantContext());
}
