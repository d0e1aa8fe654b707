namespace HeadlessLoyalty.Api.Auth;

/// <summary>The values of the <c>role</c> claim (one claim per role).</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Pos = "pos";
    public const string Storefront = "storefront";
    public const string Partner = "partner";
    public const string Service = "service";

    public static readonly IReadOnlyList<string> All = [Admin, Pos, Storefront, Partner, Service];

    public static bool IsKnown(string role) => All.Contains(role);
}

/// <summary>The claim names of the token contract.</summary>
public static class LoyaltyClaims
{
    public const string Subject = "sub";
    public const string Program = "program";
    public const string Role = "role";
    /// <summary>Storefront tokens only: the member the shopper is.</summary>
    public const string MemberId = "member_id";
    /// <summary>Shopify POS session tokens only: the store connection (its id) whose app signed the token: the till's store.</summary>
    public const string StoreConnection = "store_connection";
}
