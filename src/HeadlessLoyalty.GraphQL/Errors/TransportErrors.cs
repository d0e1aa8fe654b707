using GraphQL;
using GraphQL.Validation;

namespace HeadlessLoyalty.GraphQL.Errors;

// Typed errors raised by the transport itself. Each carries its stable code; the HTTP layer maps codes to statuses.

public sealed class MaxDepthExceededError : ValidationError
{
    public MaxDepthExceededError(int depth, int max)
        : base($"The document nests {depth} levels deep; at most {max} are allowed.") => Code = ErrorCodes.MaxDepthExceeded;
}

public sealed class MaxComplexityExceededError : ValidationError
{
    public MaxComplexityExceededError(double complexity, double max)
        : base($"The document's complexity is {complexity:0.##}; at most {max:0.##} is allowed.") => Code = ErrorCodes.MaxComplexityExceeded;
}

/// <summary>An operation the HTTP request cannot carry (a mutation over GET, a subscription over plain HTTP).</summary>
public sealed class HttpOperationNotAllowedError : ValidationError
{
    public HttpOperationNotAllowedError(string message, string code) : base(message) => Code = code;
}

public sealed class PersistedDocumentRequiredError : ExecutionError
{
    public PersistedDocumentRequiredError()
        : base("Your role may only execute persisted documents: send a documentId instead of a query.") => Code = ErrorCodes.PersistedDocumentRequired;
}
