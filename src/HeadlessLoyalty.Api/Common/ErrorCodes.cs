namespace HeadlessLoyalty.Api.Common;

/// <summary>The stable error codes clients may switch on. Never change a value once released (ERRORS.md).</summary>
public static class ErrorCodes
{
    public const string InvalidInput = "INVALID_INPUT";
    /// <summary>The caller's role may call the mutation but not with this option (e.g. allowNegative for non-admins).</summary>
    public const string Forbidden = "FORBIDDEN";
    public const string ConcurrencyConflict = "CONCURRENCY_CONFLICT";
    public const string MemberNotFound = "MEMBER_NOT_FOUND";
    public const string EmailTaken = "EMAIL_TAKEN";
    public const string ExternalIdTaken = "EXTERNAL_ID_TAKEN";
    public const string MemberBlocked = "MEMBER_BLOCKED";
    public const string InsufficientPoints = "INSUFFICIENT_POINTS";
    public const string LedgerEntryNotFound = "LEDGER_ENTRY_NOT_FOUND";
    public const string LedgerEntryNotPending = "LEDGER_ENTRY_NOT_PENDING";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string IdempotencyKeyRequired = "IDEMPOTENCY_KEY_REQUIRED";
    public const string TierNotFound = "TIER_NOT_FOUND";
    public const string TierInUse = "TIER_IN_USE";
    public const string PurchaseNotFound = "PURCHASE_NOT_FOUND";
    public const string PurchaseConflict = "PURCHASE_CONFLICT";
    public const string CurrencyMismatch = "CURRENCY_MISMATCH";
    public const string RewardNotFound = "REWARD_NOT_FOUND";
    public const string RewardDisabled = "REWARD_DISABLED";
    public const string CouponNotFound = "COUPON_NOT_FOUND";
    public const string CouponAlreadyUsed = "COUPON_ALREADY_USED";
    public const string CouponNotUsable = "COUPON_NOT_USABLE";
    public const string StoreCouponFailed = "STORE_COUPON_FAILED";
    public const string StoreUrlInvalid = "STORE_URL_INVALID";
    public const string StoreConnectionNotFound = "STORE_CONNECTION_NOT_FOUND";
    public const string StoreCredentialsInvalid = "STORE_CREDENTIALS_INVALID";
    public const string StoreUnreachable = "STORE_UNREACHABLE";
    public const string StorePaused = "STORE_PAUSED";
    public const string StoreDisconnected = "STORE_DISCONNECTED";
    public const string StoreCustomerUnknown = "STORE_CUSTOMER_UNKNOWN";
    public const string StoreNotResolved = "STORE_NOT_RESOLVED";
    public const string AppProxySignatureInvalid = "APP_PROXY_SIGNATURE_INVALID";
    public const string AppProxyLoggedOut = "APP_PROXY_LOGGED_OUT";
    public const string CheckoutTokensUnavailable = "CHECKOUT_TOKENS_UNAVAILABLE";
    public const string ActivityNotFound = "ACTIVITY_NOT_FOUND";
    public const string ActivityLimitReached = "ACTIVITY_LIMIT_REACHED";
    public const string JobNotFound = "JOB_NOT_FOUND";
    public const string ReferralCodeNotFound = "REFERRAL_CODE_NOT_FOUND";
    public const string SelfReferral = "SELF_REFERRAL";
    public const string EventsCursorExpired = "EVENTS_CURSOR_EXPIRED";
    public const string EventPositionUnknown = "EVENT_POSITION_UNKNOWN";
    public const string WebhookUrlInvalid = "WEBHOOK_URL_INVALID";
    public const string WebhookUrlForbidden = "WEBHOOK_URL_FORBIDDEN";
    public const string WebhookSubscriptionNotFound = "WEBHOOK_SUBSCRIPTION_NOT_FOUND";
    public const string WebhookDeliveryNotFound = "WEBHOOK_DELIVERY_NOT_FOUND";
    public const string WebhookEventNotFound = "WEBHOOK_EVENT_NOT_FOUND";
}
