using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Data;

/// <summary>
/// Runs before the server accepts requests: migrates when <c>Database:MigrateOnStartup</c> says so (the embedded
/// default does), then seeds the demo program once, then gives a referral code to members without one (enrolled
/// before referrals existed, or seeded).
/// </summary>
internal sealed class DatabaseStartup(IServiceScopeFactory scopes, DatabaseSettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.MigrateOnStartup)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }
        await using (var scope = scopes.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedIfEnabledAsync(cancellationToken);
        await using (var scope = scopes.CreateAsyncScope())
        {
            // Only on a migrated schema: a server started before `migrate` ran must not fail here.
            var db = scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>();
            if (!(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
                await Referrals.ReferralOperations.BackfillCodesAsync(db, ct: cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
