using HeadlessLoyalty.Api.Events;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>
/// Runs the <see cref="WebhookDispatcher"/>: at once when the log advances (<see cref="IEventWakeups"/>), and every
/// <see cref="WebhooksOptions.PollInterval"/> for retries that fall due and for events sequenced elsewhere.
/// </summary>
public sealed class WebhookDispatcherService(WebhookDispatcher dispatcher, IEventWakeups wakeups, IOptions<WebhooksOptions> options, ILogger<WebhookDispatcherService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var known = wakeups.Head;
            try
            {
                await dispatcher.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be down or migrating: the next pass tries again.
                log.LogWarning(e, "Webhook dispatch pass failed");
            }
            try
            {
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                poll.CancelAfter(options.Value.PollInterval);
                await wakeups.WaitAsync(known, poll.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The poll interval passed without a wake-up.
            }
        }
    }
}
