using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Members;

public enum MemberStatus { Active, Blocked, OptedOut }

/// <summary>A program member. Email is unique per program, compared case-insensitively through <see cref="NormalizedEmail"/>.</summary>
public sealed class Member : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required string Email { get; set; }
    /// <summary>Lower-cased, trimmed <see cref="Email"/>: the unique key within a program.</summary>
    public required string NormalizedEmail { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Phone { get; set; }
    /// <summary>Birthday month (1-12) and day; year optional.</summary>
    public int? BirthdayMonth { get; set; }
    public int? BirthdayDay { get; set; }
    public int? BirthdayYear { get; set; }
    /// <summary>Short random code printed on cards and used at POS, unique per program.</summary>
    public required string MemberCode { get; init; }
    /// <summary>Sequential number within the program, starting at 1.</summary>
    public required long MemberNumber { get; init; }
    public required DateTimeOffset EnrolledAt { get; init; }
    public MemberStatus Status { get; set; } = MemberStatus.Active;
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Concurrency token: every change bumps it, so concurrent changes (two blocks, a block and an update) retry on fresh data instead of both committing, and each event is written once.</summary>
    public long Version { get; set; }
    public List<MemberExternalId> ExternalIds { get; init; } = [];

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}

/// <summary>The member's id in a connected store (e.g. a Shopify customer id).</summary>
public sealed class MemberExternalId : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid MemberId { get; init; }
    /// <summary>The store the id belongs to (a store connection id or URL).</summary>
    public required string Store { get; init; }
    public required string ExternalId { get; set; }
}
