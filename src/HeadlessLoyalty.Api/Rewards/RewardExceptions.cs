using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Rewards;

public sealed class RewardNotFoundException(Guid rewardId) : LoyaltyException(ErrorCodes.RewardNotFound, $"Reward '{rewardId}' was not found.", "rewardId");

public sealed class RewardDisabledException(Guid rewardId) : LoyaltyException(ErrorCodes.RewardDisabled, $"Reward '{rewardId}' is not offered at the moment.", "rewardId");

public sealed class CouponNotFoundException(string code) : LoyaltyException(ErrorCodes.CouponNotFound, $"No coupon '{code}' in this program.", "code");

public sealed class CouponAlreadyUsedException(string code) : LoyaltyException(ErrorCodes.CouponAlreadyUsed, $"Coupon '{code}' was already used on another order.", "code");

public sealed class CouponNotUsableException(string code, string why) : LoyaltyException(ErrorCodes.CouponNotUsable, $"Coupon '{code}' cannot be used: it is {why}.", "code");
