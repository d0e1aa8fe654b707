namespace HeadlessLoyalty.Api.Events;

/// <summary>The <c>Events</c> configuration section (the durable event log).</summary>
public sealed class EventsOptions
{
    /// <summary>Positioned events recorded longer ago than this are deleted by the <c>event-retention</c> job. Default 30 days.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>
    /// How often the sequencer looks for committed, unpositioned events on its own (events committed by another
    /// instance, or written without going through a DbContext). Writes of this instance wake it at once. Default 250 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>At most this many events get positions in one sequencer transaction (a pass loops until the queue is empty). Default 1000.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>False: no background sequencer on this instance (another instance, or <c>EventSequencer.SequenceAsync</c>, must run it).</summary>
    public bool SequencerEnabled { get; set; } = true;

    /// <summary>Events a <c>loyaltyEvents</c> subscription reads per database round trip while it replays from its cursor. Default 100.</summary>
    public int SubscriptionReadBatch { get; set; } = 100;

    /// <summary>
    /// Events a live <c>loyaltyEvents</c> subscription may have waiting in its instance-side queue. A subscription
    /// that falls further behind is not cut off: it goes back to reading the database from its own cursor. (The
    /// connection's own outbound buffer, <c>GraphQL:Streaming:OutboundBufferSize</c>, is what cuts off a client that
    /// stops reading.) Default 1000.
    /// </summary>
    public int SubscriptionLiveQueue { get; set; } = 1000;
}
