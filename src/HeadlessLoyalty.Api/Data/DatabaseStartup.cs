namespace HeadlessLoyalty.Api.Data;

/// <summary>
/// Runs before the server accepts requests: migrates when <c>Database:MigrateOnStartup</c> says so (the embedded
/// default does), then seeds the demo program once. After a start-up migration the seeded members get their referral
/// codes too (the migrator gives them to members that existed before).
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
        if (settings.MigrateOnStartup)
        {
            await using var scope = scopes.CreateAsyncScope();
            await Referrals.ReferralOperations.BackfillCodesAsync(scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>(), ct: cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
