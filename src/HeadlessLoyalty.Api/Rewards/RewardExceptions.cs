using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Rewards;

public sealed class RewardNotFoundException(Guid rewardId) : LoyaltyException(ErrorCodes.RewardNotFound, $"Reward '{rewardId}' was not found.", "rewardId");

public sealed class RewardDisabledException(Guid rewardId) : LoyaltyException(ErrorCodes.RewardDisabled, $"Reward '{rewardId}' is not offered at the moment.", "rewardId");
