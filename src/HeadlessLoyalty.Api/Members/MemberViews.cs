using System.Text.Json.Serialization;
using HeadlessLoyalty.Api.Points;

namespace HeadlessLoyalty.Api.Members;

/// <summary>A member as data: what payloads carry (and idempotent replays store as JSON).</summary>
public sealed record MemberView(
    Guid Id, string Email, string? FirstName, string? LastName, string? Phone,
    int? BirthdayMonth, int? BirthdayDay, int? BirthdayYear,
    string MemberCode, long MemberNumber, MemberStatus Status, DateTimeOffset EnrolledAt, DateTimeOffset UpdatedAt)
{
    public static MemberView Of(Member m) => new(
        m.Id, m.Email, m.FirstName, m.LastName, m.Phone, m.BirthdayMonth, m.BirthdayDay, m.BirthdayYear,
        m.MemberCode, m.MemberNumber, m.Status, m.EnrolledAt, m.UpdatedAt);

    /// <summary>
    /// A view carrying only the member's id, for a selection that reads nothing but the id and the balance (the
    /// member query skips the profile columns then); every other property is a placeholder.
    /// </summary>
    public static MemberView KeyOnly(Guid id) => new(id, "", null, null, null, null, null, null, "", 0, default, default, default);
}

/// <param name="ReferralCode">A member's referral code: the new member is their referred friend. Left out of the
/// idempotency hash when null, so keys stored before referrals existed still match their replays.</param>
public sealed record EnrollMemberInput(
    string Email, string? FirstName = null, string? LastName = null, string? Phone = null,
    int? BirthdayMonth = null, int? BirthdayDay = null, int? BirthdayYear = null,
    IReadOnlyList<ExternalIdInput>? ExternalIds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReferralCode = null);

/// <summary>The member's id in a connected store, e.g. ("shopify:my-shop", "7012345").</summary>
public sealed record ExternalIdInput(string Store, string ExternalId);

public sealed record EnrollMemberPayload(MemberView Member, BalanceView Balance);

/// <summary>
/// A partial update: a null field is left unchanged; an empty string clears an optional text field.
/// Birthday: give month and day (and optionally year) together, or set <see cref="ClearBirthday"/>.
/// </summary>
public sealed record UpdateMemberInput(
    Guid MemberId, string? Email = null, string? FirstName = null, string? LastName = null, string? Phone = null,
    int? BirthdayMonth = null, int? BirthdayDay = null, int? BirthdayYear = null, bool ClearBirthday = false);

public sealed record MemberPayload(MemberView Member);
