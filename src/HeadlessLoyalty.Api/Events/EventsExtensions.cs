using HeadlessLoyalty.Api.Cli;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HeadlessLoyalty.Api.Events;

public static class EventsExtensions
{
    /// <summary>
    /// The event log's moving parts: the <see cref="EventSequencer"/> (and its background service, unless this is a CLI
    /// verb or <c>Events:SequencerEnabled=false</c>), the after-commit nudge (an EF interceptor on every context),
    /// <see cref="IEventWakeups"/> and, with <c>Redis:ConnectionString</c>, the Redis relay between instances.
    /// </summary>
    public static WebApplicationBuilder AddLoyaltyEvents(this WebApplicationBuilder builder, string[] args)
    {
        var services = builder.Services;
        services.AddOptions<EventsOptions>().BindConfiguration("Events");
        services.AddSingleton<EventWakeups>();
        services.AddSingleton<IEventWakeups>(sp => sp.GetRequiredService<EventWakeups>());
        services.AddSingleton<EventSequencer>();
        services.AddSingleton<EventSequencerSignal>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<EventSequencerSignal>());
        if (CliExtensions.IsCliInvocation(args))
            return builder;
        services.AddHostedService<RedisEventRelay>();
        services.AddHostedService<EventSequencerService>();
        // The live fan-out of loyaltyEvents subscriptions (one log reader for all of this instance's subscribers).
        services.AddSingleton<EventLogHub>();
        services.AddHostedService(sp => sp.GetRequiredService<EventLogHub>());
        return builder;
    }
}
