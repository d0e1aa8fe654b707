namespace HeadlessLoyalty.GraphQL.Errors;

/// <summary>The stable <c>extensions.code</c> values the transport emits. Clients branch on these, never on messages.</summary>
public static class ErrorCodes
{
    public const string BadRequest = "BAD_REQUEST";
    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";
    public const string OperationNotFound = "OPERATION_RESOLUTION_FAILURE";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string NotAcceptable = "NOT_ACCEPTABLE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string CsrfPreflightRequired = "CSRF_PREFLIGHT_REQUIRED";
    public const string SubscriptionsNotSupported = "SUBSCRIPTION_TRANSPORT_REQUIRED";
    public const string PersistedDocumentNotFound = "PERSISTED_DOCUMENT_NOT_FOUND";
    public const string PersistedDocumentIdInvalid = "PERSISTED_DOCUMENT_ID_INVALID";
    public const string PersistedDocumentRequired = "PERSISTED_DOCUMENT_REQUIRED";
    public const string MaxDepthExceeded = "MAX_DEPTH_EXCEEDED";
    public const string MaxComplexityExceeded = "MAX_COMPLEXITY_EXCEEDED";
    public const string ExecutionTimeout = "EXECUTION_TIMEOUT";
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";
    /// <summary>graphql-sse: the stream's outbound buffer overflowed; reconnect and resume from the last cursor.</summary>
    public const string SlowConsumer = "SLOW_CONSUMER";
}
