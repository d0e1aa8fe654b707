using GraphQL;
using GraphQL.Execution;
using GraphQL.PersistedDocuments;
using GraphQL.Validation;
using GraphQL.Validation.Errors.Custom;

namespace HeadlessLoyalty.GraphQL.Errors;

/// <summary>
/// Gives every error a stable <c>extensions.code</c> from <see cref="ErrorCodes"/> (or the code a typed
/// domain error chose), and never leaks exception details unless the host opts in.
/// </summary>
public sealed class TransportErrorInfoProvider(GraphQLHttpOptions options) : ErrorInfoProvider(o =>
{
    o.ExposeCode = true;
    o.ExposeCodes = false;
    o.ExposeData = false;
    o.ExposeExtensions = true;
    o.ExposeExceptionDetails = options.ExposeExceptionDetails;
})
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        var extensions = info.Extensions ?? new Dictionary<string, object?>();
        var (code, rule) = Classify(executionError);
        extensions["code"] = code;
        if (rule is not null)
            extensions["rule"] = rule;
        info.Extensions = extensions;
        return info;
    }

    public static (string Code, string? Rule) Classify(ExecutionError error) => error switch
    {
        SyntaxError => (ErrorCodes.ParseFailed, null),
        TimeoutError => (ErrorCodes.ExecutionTimeout, null),
        UnhandledError => (ErrorCodes.InternalServerError, null),
        DocumentNotFoundError => (ErrorCodes.PersistedDocumentNotFound, null),
        DocumentIdInvalidError or DocumentIdMissingError => (ErrorCodes.PersistedDocumentIdInvalid, null),
        InvalidRequestError => (ErrorCodes.BadRequest, null),
        InvalidOperationNameError or NoOperationNameError or NoOperationError => (ErrorCodes.OperationNotFound, null),
        QueryMissingError => (ErrorCodes.BadRequest, null),
        ComplexityError => (ErrorCodes.MaxComplexityExceeded, null),
        // Core's own rule errors live in GraphQL.Validation.Errors and InvalidVariableError; one stable code,
        // the rule's own code kept as "rule" for diagnostics. Custom rules (e.g. authorization) keep their code.
        ValidationError v when IsCoreRuleError(v) => (ErrorCodes.ValidationFailed, v.Code),
        _ when !string.IsNullOrEmpty(error.Code) => (error.Code!, null),
        ValidationError => (ErrorCodes.ValidationFailed, null),
        _ => (ErrorCodes.InternalServerError, null),
    };

    // Core reports its rules' failures through ValidationError subclasses in GraphQL.*; a custom rule (such as the
    // authorization rule) reports a plain ValidationError or its own subclass with a code that must survive.
    private static bool IsCoreRuleError(ValidationError error)
    {
        var type = error.GetType();
        return type != typeof(ValidationError)
            && type.Namespace is { } ns && ns.StartsWith("GraphQL.", StringComparison.Ordinal);
    }
}
