using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Stores;

public sealed class StoreUrlInvalidException(string message) : LoyaltyException(ErrorCodes.StoreUrlInvalid, message, "url");

public sealed class StoreConnectionNotFoundException(Guid id)
    : LoyaltyException(ErrorCodes.StoreConnectionNotFound, $"No store connection {id} in this program.");

/// <summary>The store refused the credentials, or they may not do what was asked (STORE_CREDENTIALS_INVALID).</summary>
public class StoreCredentialsInvalidException(string message) : LoyaltyException(ErrorCodes.StoreCredentialsInvalid, message, "credentials");

/// <summary>
/// Shopify answered ACCESS_DENIED: the access token works but lacks the scope the call needs (e.g. <c>write_discounts</c>,
/// <c>write_webhooks</c>). A STORE_CREDENTIALS_INVALID like any credential refusal; webhook creation turns it into manual setup.
/// </summary>
public sealed class StoreScopeMissingException(string rootField, string shopifyMessage)
    : StoreCredentialsInvalidException($"The Shopify access token lacks the scope {rootField} needs: {shopifyMessage}");

public sealed class StoreUnreachableException(string message) : LoyaltyException(ErrorCodes.StoreUnreachable, message);

public sealed class StorePausedException(Guid id)
    : LoyaltyException(ErrorCodes.StorePaused, $"The store connection {id} is paused: redemption on it (store coupons, checkout discounts, POS) is refused until it is resumed. No points were deducted.");

public sealed class StoreDisconnectedException(Guid id)
    : LoyaltyException(ErrorCodes.StoreDisconnected, $"The store connection {id} is disconnected; connect the store again to use it.");

public sealed class StoreCustomerUnknownException(string message) : LoyaltyException(ErrorCodes.StoreCustomerUnknown, message);

public sealed class StoreNotResolvedException(string message) : LoyaltyException(ErrorCodes.StoreNotResolved, message);
