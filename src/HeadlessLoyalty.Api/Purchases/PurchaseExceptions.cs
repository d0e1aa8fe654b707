using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Purchases;

public sealed class PurchaseNotFoundException(string orderReference) : LoyaltyException(ErrorCodes.PurchaseNotFound, $"No purchase with order reference '{orderReference}' on that channel and store.", "orderReference");

public sealed class PurchaseConflictException(string orderReference, string what) : LoyaltyException(ErrorCodes.PurchaseConflict, $"Order '{orderReference}' was already recorded with a different {what}; nothing changed.", "orderReference");

public sealed class CurrencyMismatchException(string given, string program) : LoyaltyException(ErrorCodes.CurrencyMismatch, $"The purchase is in {given}; the program counts in {program}.", "currency");
