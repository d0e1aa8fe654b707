using HeadlessLoyalty.Api.Events;

namespace HeadlessLoyalty.Api.Tests.Events;

public sealed class EventCatalogTests
{
    [Fact]
    public void Every_event_type_has_a_payload_record_naming_the_member_and_a_GraphQL_type_of_its_own()
    {
        Assert.Equal(EventTypes.All, EventCatalog.All.Select(e => e.Type));
        Assert.Equal(EventCatalog.All.Count, EventCatalog.All.Select(e => e.GraphTypeName).Distinct().Count());
        Assert.Equal("PointsRedeemedAtPosEvent", EventCatalog.Find(EventTypes.PointsRedeemedAtPos)!.GraphTypeName);
        Assert.All(EventCatalog.All.Where(e => e.Type != EventTypes.WebhookDisabled), e => // operations events name no member
        {
            Assert.Equal(typeof(Guid), e.PayloadType.GetProperty("MemberId")?.PropertyType);
            Assert.Equal(typeof(string), e.PayloadType.GetProperty("Email")?.PropertyType);
        });
    }

    private static readonly DateTimeOffset At = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>An event as stored: <c>MEMBER</c> in the JSON stands for the member's id.</summary>
    private static DomainEvent Stored(string type, Guid member, string json) => new()
    {
        Id = Guid.NewGuid(), Type = type, MemberId = member, OccurredAt = At, RecordedAt = At, Payload = json.Replace("MEMBER", member.ToString()),
    };

    [Fact]
    public void A_stored_payload_reads_back_as_its_catalog_record()
    {
        var member = Guid.NewGuid();
        var e = Stored(EventTypes.PointsRedeemedAtPos, member,
            """{"memberId":"MEMBER","email":"a@example.com","points":50,"balanceAfter":10,"storeId":"s1","locationId":null,"transactionReference":"T-1","value":5.0,"currency":"EUR"}""");

        var payload = Assert.IsType<PointsRedeemedAtPosPayload>(DomainEvents.ReadPayload(e));
        Assert.Equal(new PointsRedeemedAtPosPayload(member, "a@example.com", 50, 10, "s1", null, "T-1", 5.0m, "EUR"), payload);
        Assert.Null(DomainEvents.ReadPayload(new DomainEvent { Id = Guid.NewGuid(), Type = "legacy.thing", OccurredAt = At, RecordedAt = At, Payload = "{}" }));
    }

    [Fact]
    public void A_points_adjusted_payload_reads_back_with_its_signed_change_and_cause()
    {
        var member = Guid.NewGuid();
        var e = Stored(EventTypes.PointsAdjusted, member,
            """{"memberId":"MEMBER","email":"a@example.com","pointsDelta":-40,"balanceAfter":60,"cause":"admin","reason":"goodwill","sourceReference":null}""");

        Assert.Equal(new PointsAdjustedPayload(member, "a@example.com", -40, 60, PointsAdjustedCauses.Admin, "goodwill", null),
            Assert.IsType<PointsAdjustedPayload>(DomainEvents.ReadPayload(e)));
        var entry = EventCatalog.Find(EventTypes.PointsAdjusted)!;
        Assert.Equal(("PointsAdjustedEvent", typeof(PointsAdjustedPayload)), (entry.GraphTypeName, entry.PayloadType));
    }

    [Fact]
    public void A_payload_name_has_one_CLR_type_across_the_catalog_so_fragments_on_several_event_types_can_merge()
    {
        var byName = EventCatalog.All.SelectMany(e => e.PayloadType.GetProperties())
            .GroupBy(p => p.Name)
            .Select(g => (g.Key, Types: g.Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType).Distinct().ToList()));
        Assert.All(byName, n => Assert.True(n.Types.Count == 1, $"{n.Key}: {string.Join(", ", n.Types.Select(t => t.Name))}"));
    }
}
