using GraphQL.Types;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;

namespace HeadlessLoyalty.Api.Members;

/// <summary>What a member mutation returns: the member after the change, or null and the refusals.</summary>
public sealed record MemberMutationResult(MemberView? Member, IReadOnlyList<UserError> UserErrors)
{
    public static MemberMutationResult Of(MemberView member) => new(member, []);
    public static MemberMutationResult Refused(IReadOnlyList<UserError> errors) => new(null, errors);
}

/// <summary>One GraphQL payload type per member mutation (clients may add fields to one without touching the others).</summary>
public abstract class MemberPayloadType : ObjectGraphType<MemberMutationResult>
{
    protected MemberPayloadType(string name, string description)
    {
        Name = name;
        Description = description;
        Field<MemberType>("member").Description("The member after the change; null when refused.").Resolve(c => c.Source.Member);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors")
            .Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed class EnrollMemberPayloadType() : MemberPayloadType("EnrollMemberPayload", "Result of enrollMember.");
public sealed class UpdateMemberPayloadType() : MemberPayloadType("UpdateMemberPayload", "Result of updateMember.");
public sealed class BlockMemberPayloadType() : MemberPayloadType("BlockMemberPayload", "Result of blockMember.");
public sealed class UnblockMemberPayloadType() : MemberPayloadType("UnblockMemberPayload", "Result of unblockMember.");

public sealed class BirthdayArgs
{
    public int Month { get; set; }
    public int Day { get; set; }
    public int? Year { get; set; }
}

public sealed class BirthdayInputType : InputObjectGraphType<BirthdayArgs>
{
    public BirthdayInputType()
    {
        Name = "BirthdayInput";
        Description = "A birthday: month and day, optionally the year (29 February only without a year or in a leap year).";
        Field<NonNullGraphType<IntGraphType>>("month").Description("Month, 1-12.");
        Field<NonNullGraphType<IntGraphType>>("day").Description("Day of the month.");
        Field<IntGraphType>("year").Description("Year of birth, 1900 to this year.");
    }
}

public sealed class ExternalIdArgs
{
    public string Store { get; set; } = "";
    public string ExternalId { get; set; } = "";
}

public sealed class ExternalIdInputType : InputObjectGraphType<ExternalIdArgs>
{
    public ExternalIdInputType()
    {
        Name = "ExternalIdInput";
        Description = "The member's id in a connected store.";
        Field<NonNullGraphType<StringGraphType>>("store").Description("The store (connection) the id belongs to, at most 200 characters.");
        Field<NonNullGraphType<StringGraphType>>("externalId").Description("The id in that store, at most 100 characters; unique per store in the program.");
    }
}

public sealed class EnrollMemberArgs
{
    public string Email { get; set; } = "";
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Phone { get; set; }
    public BirthdayArgs? Birthday { get; set; }
    public List<ExternalIdArgs>? ExternalIds { get; set; }
    public string? ReferralCode { get; set; }
    public string? IdempotencyKey { get; set; }
}

public sealed class EnrollMemberInputType : InputObjectGraphType<EnrollMemberArgs>
{
    public EnrollMemberInputType()
    {
        Name = "EnrollMemberInput";
        Description = "A new member. The member number and code are assigned; the balance starts at zero.";
        Field<NonNullGraphType<StringGraphType>>("email").Description("Email address; unique in the program (EMAIL_TAKEN), compared case-insensitively.");
        Field<StringGraphType>("firstName").Description("First name, at most 100 characters.");
        Field<StringGraphType>("lastName").Description("Last name, at most 100 characters.");
        Field<StringGraphType>("phone").Description("Phone: digits, optionally a leading + and spaces, dots, dashes or parentheses.");
        Field<BirthdayInputType>("birthday").Description("Birthday.");
        Field<ListGraphType<NonNullGraphType<ExternalIdInputType>>>("externalIds").Description("Ids in connected stores, one per store.");
        Field<StringGraphType>("referralCode").Description("A member's referral code: the new member becomes their referred friend (REFERRAL_CODE_NOT_FOUND, SELF_REFERRAL when it is the same person's). Spaces and dashes are ignored, letters case-insensitive.");
        Field<StringGraphType>("idempotencyKey").Description("Retry key (at most 200 characters): a retry with the same key and input returns the first result.");
    }
}

public sealed class UpdateMemberArgs
{
    public string MemberId { get; set; } = "";
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Phone { get; set; }
    public BirthdayArgs? Birthday { get; set; }
    public string? IdempotencyKey { get; set; }
}

public sealed class UpdateMemberInputType : InputObjectGraphType<UpdateMemberArgs>
{
    public UpdateMemberInputType()
    {
        Name = "UpdateMemberInput";
        Description = "A partial profile update: omitted fields keep their value; an empty string clears a name or phone; `birthday: null` clears the birthday.";
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member.");
        Field<StringGraphType>("email").Description("New email; unique in the program (EMAIL_TAKEN).");
        Field<StringGraphType>("firstName").Description("New first name; empty clears it.");
        Field<StringGraphType>("lastName").Description("New last name; empty clears it.");
        Field<StringGraphType>("phone").Description("New phone; empty clears it.");
        Field<BirthdayInputType>("birthday").Description("New birthday; an explicit null clears it.");
        Field<StringGraphType>("idempotencyKey").Description("Retry key: a retry with the same key and input returns the first result.");
    }
}

public sealed class BlockMemberArgs
{
    public string MemberId { get; set; } = "";
    public string? Reason { get; set; }
}

public sealed class BlockMemberInputType : InputObjectGraphType<BlockMemberArgs>
{
    public BlockMemberInputType()
    {
        Name = "BlockMemberInput";
        Description = "Blocks a member: they keep their points but can neither earn nor spend until unblocked. Blocking a blocked member changes nothing.";
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member.");
        Field<StringGraphType>("reason").Description("Why, for the staff's records (logged with the actor).");
    }
}

public sealed class UnblockMemberArgs
{
    public string MemberId { get; set; } = "";
}

public sealed class UnblockMemberInputType : InputObjectGraphType<UnblockMemberArgs>
{
    public UnblockMemberInputType()
    {
        Name = "UnblockMemberInput";
        Description = "Makes a blocked member active again. Unblocking an active member changes nothing.";
        Field<NonNullGraphType<IdGraphType>>("memberId").Description("Global id of the member.");
    }
}
