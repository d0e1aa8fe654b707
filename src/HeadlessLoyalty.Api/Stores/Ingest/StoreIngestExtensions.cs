using HeadlessLoyalty.Api.Cli;

namespace HeadlessLoyalty.Api.Stores.Ingest;

/// <summary>The <c>Stores:Ingest</c> configuration section (store webhook processing).</summary>
public sealed class StoreIngestOptions
{
    /// <summary>False: no background processor in this instance (deliveries are still accepted; another instance, or a test, processes them). Default true.</summary>
    public bool ProcessorEnabled { get; set; } = true;

    /// <summary>How often the processor looks for deliveries another instance accepted (it wakes at once for its own). Default 10 s.</summary>
    public TimeSpan ProcessorPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the endpoint keeps a connection's look-up (status, decrypted secret) in memory; zero: none. Default 5 s.</summary>
    public TimeSpan TargetCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Finished delivery receipts older than this many days are deleted by the store-reconciliation job. Default 30.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Deliveries processed side by side. Default 4.</summary>
    public int ProcessorParallelism { get; set; } = 4;
}

public static class StoreIngestExtensions
{
    /// <summary>The webhook inbox's processor (and its background service unless a CLI verb or <c>Stores:Ingest:ProcessorEnabled=false</c>).</summary>
    public static WebApplicationBuilder AddLoyaltyStoreIngest(this WebApplicationBuilder builder, string[] args)
    {
        var services = builder.Services;
        services.AddOptions<StoreIngestOptions>().BindConfiguration("Stores:Ingest");
        services.AddSingleton<StoreDeliverySignal>();
        services.AddSingleton<StoreWebhookTargetCache>();
        services.AddSingleton<StoreDeliveryProcessor>();
        services.AddSingleton<StoreReconciliation>();
        if (!CliExtensions.IsCliInvocation(args) && builder.Configuration.GetValue("Stores:Ingest:ProcessorEnabled", true))
            services.AddHostedService<StoreDeliveryProcessorService>();
        return builder;
    }
}
