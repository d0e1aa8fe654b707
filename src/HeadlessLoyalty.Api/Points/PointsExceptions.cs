using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Points;

public sealed class InsufficientPointsException(long available, long requested) : LoyaltyException(ErrorCodes.InsufficientPoints, $"Only {available} points are available; {requested} were requested.", "points");

public sealed class LedgerEntryNotFoundException(Guid entryId) : LoyaltyException(ErrorCodes.LedgerEntryNotFound, $"Ledger entry '{entryId}' was not found.", "entryId");

public sealed class LedgerEntryNotPendingException(Guid entryId, LedgerEntryStatus status) : LoyaltyException(ErrorCodes.LedgerEntryNotPending, $"Ledger entry '{entryId}' is {status}, not Pending.", "entryId");
