namespace HeadlessLoyalty.GraphQL.Authorization;

/// <summary>Stable error codes of <see cref="FieldAuthorizationRule"/>; the HTTP layer maps them to 401 and 403.</summary>
public static class AuthorizationErrorCodes
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
}
