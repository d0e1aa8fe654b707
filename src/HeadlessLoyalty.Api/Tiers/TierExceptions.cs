using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Tiers;

public sealed class TierNotFoundException(string lookup) : LoyaltyException(ErrorCodes.TierNotFound, $"Tier '{lookup}' was not found.", "tierId");

public sealed class TierInUseException(string name, int members)
    : LoyaltyException(ErrorCodes.TierInUse, $"{members} member(s) hold tier '{name}'; it can be deleted once nobody holds it.", "tierId");
