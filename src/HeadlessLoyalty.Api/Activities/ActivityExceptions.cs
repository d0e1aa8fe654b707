using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Activities;

/// <summary>No enabled rule with that key: a disabled rule is refused the same way, so clients need one check.</summary>
public sealed class ActivityNotFoundException(string key) : LoyaltyException(ErrorCodes.ActivityNotFound, $"No enabled activity with key '{key}'.", "key");

public sealed class ActivityLimitReachedException(string key, ActivityWindow window) : LoyaltyException(
    ErrorCodes.ActivityLimitReached, $"The member reached the {Describe(window)} limit of activity '{key}'.", "key")
{
    public ActivityWindow Window { get; } = window;

    private static string Describe(ActivityWindow w) => w switch
    {
        ActivityWindow.Day => "daily",
        ActivityWindow.Week => "weekly",
        ActivityWindow.Month => "monthly",
        _ => "lifetime",
    };
}
