using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Members;

public sealed class MemberNotFoundException(string lookup) : LoyaltyException(ErrorCodes.MemberNotFound, $"Member '{lookup}' was not found.", "memberId");

public sealed class EmailTakenException(string email) : LoyaltyException(ErrorCodes.EmailTaken, $"The email '{email}' is already enrolled in this program.", "email");

public sealed class MemberBlockedException(Guid memberId) : LoyaltyException(ErrorCodes.MemberBlocked, $"Member '{memberId}' is blocked and cannot earn or spend points.", "memberId");

public sealed class ExternalIdTakenException(string store, string externalId)
    : LoyaltyException(ErrorCodes.ExternalIdTaken, $"The id '{externalId}' of store '{store}' already belongs to another member.", "externalIds");
