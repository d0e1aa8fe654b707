using GraphQL;

namespace HeadlessLoyalty.GraphQL.Connections;

/// <summary>A client error in connection arguments, reported as a GraphQL error with a stable code.</summary>
public sealed class PaginationError : ExecutionError
{
    public const string InvalidCursorCode = "INVALID_CURSOR";
    public const string InvalidPaginationCode = "INVALID_PAGINATION";

    private PaginationError(string code, string message) : base(message) => Code = code;

    public static PaginationError InvalidCursor(string argument)
        => new(InvalidCursorCode, $"The '{argument}' cursor is not a cursor issued by this connection.");

    public static PaginationError InvalidPagination(string message) => new(InvalidPaginationCode, message);
}
