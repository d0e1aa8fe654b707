using System.Net.Http.Headers;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HeadlessLoyalty.Api.Tests.Infrastructure;

/// <summary>
/// The real app over a throw-away database of one provider. Migrated on start (like the embedded default),
/// demo seed off unless asked for, a fixed signing key, a controllable clock and a SQL command counter.
/// Prefer the fixtures (<see cref="SqliteFixture"/>, <see cref="PostgresFixture"/>) to building one by hand.
/// </summary>
public sealed class LoyaltyApiFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The local key every factory signs and validates with (tests can forge tokens with other keys).</summary>
    public const string SigningKey = "test-signing-key-of-at-least-32-bytes-0123456789";

    /// <summary>Starts at <see cref="Epoch"/>; <c>Clock.Advance(...)</c> moves the app's TimeProvider.</summary>
    public FakeTimeProvider Clock { get; } = new(Epoch);

    public static readonly DateTimeOffset Epoch = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public SqlCommandCounter SqlCommands { get; } = new();

    public TestDatabase Database => database;

    public DatabaseProvider Provider => database.Provider;

    /// <summary>Creates the database, then the factory, and starts the host (migrations run during start).</summary>
    public static async Task<LoyaltyApiFactory> StartAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var factory = new LoyaltyApiFactory(await TestDatabase.CreateAsync(provider), settings);
        _ = factory.Server; // build and start now, not inside the first test
        return factory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", database.Provider.ToString());
        builder.UseSetting("Database:ConnectionString", database.ConnectionString);
        builder.UseSetting("Database:DataDirectory", database.Directory);
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("Seed:Demo", "false");
        builder.UseSetting("Auth:SigningKey", SigningKey);
        // No scheduler: jobs run only when a test runs them (a test that wants the scheduler sets Jobs:Enabled=true).
        builder.UseSetting("Jobs:Enabled", "false");
        // No background webhook dispatcher either (its polling would show in SqlCommands): tests run WebhookDispatcher.RunDueAsync, or set it to true.
        builder.UseSetting("Webhooks:DispatcherEnabled", "false");
        // Nor the store delivery processor: tests run StoreDeliveryProcessor.RunPendingAsync, or set it to true.
        builder.UseSetting("Stores:Ingest:ProcessorEnabled", "false");
        // Nor the Shopify metafield sync: tests run ShopifyMetafieldSync.RunOnceAsync.
        builder.UseSetting("Stores:Metafields:Enabled", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IInterceptor>(SqlCommands);
            services.AddTransient<IStartupFilter, CallerProbe>();
        });
    }

    /// <summary>Creates a program through the same path as <c>program create</c>.</summary>
    public async Task<LoyaltyProgram> CreateProgramAsync(string slug, string? name = null, string currency = "USD", string timeZone = "UTC")
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ProgramDirectory>().CreateAsync(slug, name ?? $"Program {slug}", currency, timeZone);
    }

    /// <summary>A token signed with the local key, valid for an hour of <see cref="Clock"/> time.</summary>
    public string MintToken(string programSlug, string role, Guid? memberId = null, string? subject = null, TimeSpan? lifetime = null) =>
        Services.GetRequiredService<LocalTokenIssuer>().Mint(programSlug, [role], subject ?? $"test-{role}", memberId, lifetime);

    /// <summary>An HTTP client to the in-memory server sending <c>Authorization: Bearer {token}</c>.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Runs <paramref name="action"/> in a fresh scope whose tenant is <paramref name="programSlug"/>.</summary>
    public Task WithTenantAsync(string programSlug, Func<LoyaltyDbContext, Task> action) =>
        WithTenantAsync(programSlug, async db => { await action(db); return true; });

    public async Task<T> WithTenantAsync<T>(string programSlug, Func<LoyaltyDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        var program = await scope.ServiceProvider.GetRequiredService<ProgramDirectory>().FindAsync(programSlug)
            ?? throw new InvalidOperationException($"No program '{programSlug}': create it with CreateProgramAsync first.");
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(program.Id);
        return await action(scope.ServiceProvider.GetRequiredService<LoyaltyDbContext>());
    }

    /// <summary>A fresh scope with no tenant (operator view: tenant rows are invisible unless IgnoreQueryFilters).</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DisposeAsync();
    }
}
