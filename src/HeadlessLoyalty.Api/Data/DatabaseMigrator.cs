using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Data;

/// <summary>Applies the configured provider's migrations and back-fills what they cannot (referral codes). Used at start-up and by the <c>migrate</c> verb.</summary>
public sealed class DatabaseMigrator(LoyaltyDbContext db, DatabaseSettings settings, ILogger<DatabaseMigrator> logger)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
            settings.EnsureDataDirectory();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        // Members from before referrals existed get a share code (random unique codes cannot be drawn portably in SQL).
        var coded = await Referrals.ReferralOperations.BackfillCodesAsync(db, ct: cancellationToken);
        if (coded > 0)
            logger.LogInformation("Gave {Count} member(s) a referral code", coded);
        if (pending.Count > 0)
            logger.LogInformation("Applied {Count} migration(s) on {Provider}: {Migrations}", pending.Count, settings.Provider, string.Join(", ", pending));
        return pending;
    }
}
