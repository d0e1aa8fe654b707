using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Tiers;

public sealed class TierNotFoundException(string lookup) : LoyaltyException(ErrorCodes.TierNotFound, $"Tier '{lookup}' was not found.", "tierId");
