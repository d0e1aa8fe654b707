using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Events;

/// <summary>The cursor is older than the retained log: events after it were deleted, so the consumer missed some.</summary>
public sealed class EventCursorExpiredException(long after, long deletedThrough) : LoyaltyException(ErrorCodes.EventsCursorExpired,
    $"Events up to position {deletedThrough} were deleted by retention; a cursor at {after} may have missed some. Resync, then read from the start (omit after).", "after");

/// <summary>An acknowledged position the log has not reached (a typo or a cursor of another deployment).</summary>
public sealed class EventPositionUnknownException(long position, long head) : LoyaltyException(ErrorCodes.EventPositionUnknown,
    $"Position {position} is beyond the log's head ({head}).", "position");
