using HeadlessLoyalty.Api.Data.Postgres;
using HeadlessLoyalty.Api.Data.Sqlite;
using HeadlessLoyalty.Api.Data.SqlServer;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HeadlessLoyalty.Api.Data;

public static class DataExtensions
{
    /// <summary>
    /// Registers <see cref="LoyaltyDbContext"/> for the configured provider, Data Protection keys in the database,
    /// and the start-up migration and demo seed. The provider is read when the first context is built (not here),
    /// so configuration added late by a test host still applies.
    /// </summary>
    public static WebApplicationBuilder AddLoyaltyData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration("Database");
        services.AddOptions<SeedOptions>().BindConfiguration("Seed");
        services.AddSingleton<DatabaseSettings>();
        services.AddScoped<TenantContext>();

        // Options are built once (singleton), not per request: building them was a third of a one-row read's CPU.
        // Contexts stay scoped (one per request, carrying the request's tenant).
        services.AddDbContext<SqliteLoyaltyDbContext>((sp, o) => Configure(sp, o.UseSqlite(sp.GetRequiredService<DatabaseSettings>().ConnectionString)),
            ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddDbContext<PostgresLoyaltyDbContext>((sp, o) => Configure(sp, o.UseNpgsql(sp.GetRequiredService<DatabaseSettings>().ConnectionString)),
            ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddDbContext<SqlServerLoyaltyDbContext>((sp, o) => Configure(sp, o.UseSqlServer(sp.GetRequiredService<DatabaseSettings>().ConnectionString)),
            ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddScoped<LoyaltyDbContext>(sp => sp.GetRequiredService<DatabaseSettings>().Provider switch
        {
            DatabaseProvider.Sqlite => sp.GetRequiredService<SqliteLoyaltyDbContext>(),
            DatabaseProvider.Postgres => sp.GetRequiredService<PostgresLoyaltyDbContext>(),
            DatabaseProvider.SqlServer => sp.GetRequiredService<SqlServerLoyaltyDbContext>(),
            var other => throw new InvalidOperationException($"Unknown Database:Provider {other}."),
        });

        services.AddDataProtection()
            .SetApplicationName("HeadlessLoyalty")
            .PersistKeysToDbContext<LoyaltyDbContext>();

        services.AddScoped<DatabaseMigrator>();
        services.AddScoped<DemoSeed>();
        // First of all hosted services (they start in registration order): Data Protection's own hosted service reads
        // the key ring from the database at start, so the tables must exist before it runs.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseStartup>());
        return builder;
    }

    /// <summary>Interceptors registered in DI (e.g. a test's SQL command counter) are attached to every context.</summary>
    private static void Configure(IServiceProvider sp, DbContextOptionsBuilder options) =>
        options.AddInterceptors(sp.GetServices<IInterceptor>());
}
