using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HeadlessLoyalty.Api.Data.Postgres;

/// <summary>The Postgres flavour of <see cref="LoyaltyDbContext"/>: exists only to own its migrations. Code uses LoyaltyDbContext.</summary>
public sealed class PostgresLoyaltyDbContext(DbContextOptions<PostgresLoyaltyDbContext> options, TenantContext tenant)
    : LoyaltyDbContext(options, tenant)
{
}

/// <summary>Lets <c>dotnet ef</c> build the context without starting the host.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLoyaltyDbContext>
{
    public PostgresLoyaltyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresLoyaltyDbContext>().UseNpgsql("Host=localhost;Database=design").Options, new TenantContext());
}
