using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Idempotency;

public sealed class IdempotencyKeyReusedException(string key) : LoyaltyException(ErrorCodes.IdempotencyKeyReused, $"The idempotency key '{key}' was already used with a different input.", "idempotencyKey");

public sealed class IdempotencyKeyRequiredException() : LoyaltyException(ErrorCodes.IdempotencyKeyRequired, "This operation needs an idempotency key.", "idempotencyKey");
