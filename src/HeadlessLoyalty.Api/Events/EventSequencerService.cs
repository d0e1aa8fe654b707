using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// Runs the <see cref="EventSequencer"/> in the background: at once when this instance commits a transaction
/// (<see cref="EventSequencerSignal"/>), otherwise every <c>Events:PollInterval</c> (events committed by other
/// instances, raw SQL). Several instances may all run it: the database lock lets one sequence at a time. While the
/// database is unreachable it backs off (poll interval doubling to 30 s) and logs once per outage.
/// </summary>
internal sealed class EventSequencerService(EventSequencer sequencer, EventSequencerSignal signal, IOptions<EventsOptions> options,
    ILogger<EventSequencerService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SequencerEnabled)
            return;
        var poll = options.Value.PollInterval > TimeSpan.Zero ? options.Value.PollInterval : TimeSpan.FromMilliseconds(250);
        var wait = poll;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sequencer.PollAsync(stoppingToken);
                if (failing)
                    logger.LogInformation("The event sequencer reaches the database again.");
                (failing, wait) = (false, poll);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!failing)
                    logger.LogWarning(e, "The event sequencer failed; retrying with back-off.");
                failing = true;
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, MaxBackoff.Ticks));
            }
            try
            {
                // After a failure, nudges do not cut the back-off short.
                if (failing)
                    await Task.Delay(wait, stoppingToken);
                else
                    await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
