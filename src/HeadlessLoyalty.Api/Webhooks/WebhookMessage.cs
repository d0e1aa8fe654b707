using System.Text.Json;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Webhooks;

/// <summary>
/// The JSON body of a delivery: <c>{"id", "position", "type", "occurredAt", "recordedAt", "member": {"id", "email"} | null,
/// "payload"}</c>. <c>id</c> is the event's UUID (deduplicate on it), <c>member.id</c> the member's GraphQL global id,
/// <c>payload</c> the event type's payload as stored in the log.
/// </summary>
public static class WebhookMessage
{
    public static byte[] Serialize(DomainEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", e.Id);
            json.WriteNumber("position", e.Position ?? 0);
            json.WriteString("type", e.Type);
            json.WriteString("occurredAt", e.OccurredAt.ToUniversalTime());
            json.WriteString("recordedAt", e.RecordedAt.ToUniversalTime());
            using var payload = JsonDocument.Parse(e.Payload);
            if (e.MemberId is { } memberId)
            {
                json.WriteStartObject("member");
                json.WriteString("id", GlobalId.Encode(MemberType.TypeName, memberId.ToString()));
                if (payload.RootElement.ValueKind == JsonValueKind.Object
                    && payload.RootElement.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String)
                    json.WriteString("email", email.GetString());
                else
                    json.WriteNull("email");
                json.WriteEndObject();
            }
            else
                json.WriteNull("member");
            json.WritePropertyName("payload");
            payload.RootElement.WriteTo(json);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
