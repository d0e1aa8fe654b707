using System.Text.Json;
using System.Text.Json.Serialization;
using HeadlessLoyalty.Api.Data;

namespace HeadlessLoyalty.Api.Events;

public static class DomainEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Stages an event in the caller's <c>WriteTransaction</c> attempt: it is saved with the change or not at all (a
    /// retried attempt starts from a cleared change tracker, so a lost race leaves no event behind).
    /// </summary>
    public static DomainEvent Stage<TPayload>(LoyaltyDbContext db, string type, Guid? memberId, TPayload payload, DateTimeOffset occurredAt, DateTimeOffset recordedAt)
    {
        var e = new DomainEvent
        {
            Id = NextId(recordedAt),
            Type = type,
            MemberId = memberId,
            OccurredAt = occurredAt,
            RecordedAt = recordedAt,
            Payload = JsonSerializer.Serialize(payload, Json),
        };
        db.DomainEvents.Add(e);
        return e;
    }

    private static readonly Lock Gate = new();
    private static long _lastMilliseconds;
    private static int _counter;

    /// <summary>
    /// A version 7 UUID that is strictly greater (in its string and byte order) than every id this process handed
    /// out before: the 12 bits after the timestamp count events staged in the same millisecond (or under a clock
    /// that stands still), so events keep the order in which one transaction staged them.
    /// </summary>
    internal static Guid NextId(DateTimeOffset at)
    {
        long milliseconds;
        int counter;
        lock (Gate)
        {
            milliseconds = Math.Max(at.ToUnixTimeMilliseconds(), _lastMilliseconds);
            if (milliseconds == _lastMilliseconds && ++_counter > 0xFFF)
                (milliseconds, _counter) = (milliseconds + 1, 0);
            else if (milliseconds != _lastMilliseconds)
                _counter = 0;
            _lastMilliseconds = milliseconds;
            counter = _counter;
        }
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[8..]);
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(milliseconds >> (40 - 8 * i));
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    public static TPayload Read<TPayload>(DomainEvent e) => JsonSerializer.Deserialize<TPayload>(e.Payload, Json)!;

    /// <summary>The payload as its catalog record (<see cref="EventCatalog"/>), or null for a type the catalog does not know.</summary>
    public static object? ReadPayload(DomainEvent e) =>
        EventCatalog.Find(e.Type) is { } entry ? JsonSerializer.Deserialize(e.Payload, entry.PayloadType, Json) : null;
}
