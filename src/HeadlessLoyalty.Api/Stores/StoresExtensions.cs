namespace HeadlessLoyalty.Api.Stores;

public static class StoresExtensions
{
    /// <summary>Store connections: options (<c>Stores</c> section), secrets and the webhook ingest's connection lookup.</summary>
    public static WebApplicationBuilder AddLoyaltyStores(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StoresOptions>().BindConfiguration("Stores");
        services.AddSingleton<StoreSecrets>();
        services.AddScoped<StoreWebhookTargets>();
        return builder;
    }
}
