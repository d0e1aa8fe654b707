using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Referrals;

public sealed class ReferralCodeNotFoundException(string code) : LoyaltyException(ErrorCodes.ReferralCodeNotFound, $"No member of this program has the referral code '{code}'.", "referralCode");

public sealed class SelfReferralException() : LoyaltyException(ErrorCodes.SelfReferral, "A member cannot refer themselves: the referral code belongs to the same person (same email).", "referralCode");

/// <summary>REWARD_NOT_FOUND naming the referral setting at fault.</summary>
public sealed class ReferralRewardNotFoundException(Guid rewardId, string field) : LoyaltyException(ErrorCodes.RewardNotFound, $"Reward '{rewardId}' was not found.", field);
