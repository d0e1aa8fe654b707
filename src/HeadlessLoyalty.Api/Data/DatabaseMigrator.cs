using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Data;

/// <summary>Applies the configured provider's migrations. Used at start-up and by the <c>migrate</c> verb.</summary>
public sealed class DatabaseMigrator(LoyaltyDbContext db, DatabaseSettings settings, ILogger<DatabaseMigrator> logger)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
            settings.EnsureDataDirectory();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (pending.Count > 0)
            logger.LogInformation("Applied {Count} migration(s) on {Provider}: {Migrations}", pending.Count, settings.Provider, string.Join(", ", pending));
        return pending;
    }
}
