namespace HeadlessLoyalty.Api.Common;

/// <summary>
/// An expected, user-facing refusal raised by an operation. Resolvers catch it and turn it into a
/// <see cref="UserError"/>; anything else is a bug. Sealed subclasses live with their feature.
/// </summary>
public abstract class LoyaltyException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;

    public UserError ToUserError() => new(Code, Message, Field);
}

/// <summary>An input value failed validation; <see cref="LoyaltyException.Field"/> names it (camelCase, as in GraphQL).</summary>
public sealed class InvalidInputException(string field, string message) : LoyaltyException(ErrorCodes.InvalidInput, message, field);

/// <summary>The change kept losing races with concurrent writers after the bounded number of attempts.</summary>
public sealed class ConcurrencyConflictException() : LoyaltyException(ErrorCodes.ConcurrencyConflict, "The record was changed concurrently too many times; retry the request.");
