using GraphQL;

namespace HeadlessLoyalty.GraphQL.Http;

/// <summary>A GraphQL request as read from GET parameters or a POST body, before execution.</summary>
internal sealed record HttpGraphQLRequest(
    string? Query, string? OperationName, Inputs? Variables, Inputs? Extensions, string? DocumentId);

/// <summary>A request the transport refuses before GraphQL sees it.</summary>
internal sealed record RequestRejection(int StatusCode, string Code, string Message);
