using StackExchange.Redis;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// With <c>Redis:ConnectionString</c> set, instances wake each other: the instance whose sequencer moved the head
/// publishes it on <c>Redis:EventsChannel</c> (default <c>headlessloyalty:events:head</c>; one channel per loyalty
/// database), and every instance, this one included, advances its <see cref="EventWakeups"/> on each message. Redis
/// only cuts latency: when it is down, each instance's sequencer poll still finds the new head within
/// <c>Events:PollInterval</c>, so nothing is lost, only later.
/// </summary>
internal sealed class RedisEventRelay(IConfiguration configuration, EventWakeups wakeups, ILogger<RedisEventRelay> logger) : IHostedService, IAsyncDisposable
{
    public const string DefaultChannel = "headlessloyalty:events:head";

    private ConnectionMultiplexer? _redis;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration["Redis:ConnectionString"] is not { Length: > 0 } connectionString)
            return;
        var options = ConfigurationOptions.Parse(connectionString);
        // Keep reconnecting in the background instead of failing the start: Redis is an accelerator, not a dependency.
        options.AbortOnConnectFail = false;
        var channel = RedisChannel.Literal(configuration["Redis:EventsChannel"] is { Length: > 0 } name ? name : DefaultChannel);
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        var subscriber = _redis.GetSubscriber();
        try
        {
            // Subscriptions are restored by the multiplexer after a reconnect.
            await subscriber.SubscribeAsync(channel, (_, value) =>
            {
                if (value.TryParse(out long head))
                    wakeups.Advance(head);
            });
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Could not subscribe to the event wake-ups on Redis; other instances' events arrive through polling only.");
        }
        wakeups.Broadcast = async head =>
        {
            try
            {
                await subscriber.PublishAsync(channel, head, CommandFlags.FireAndForget);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                logger.LogDebug(e, "Could not publish the event head {Head} on Redis.", head);
            }
        };
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        wakeups.Broadcast = null;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
            await _redis.DisposeAsync();
    }
}
