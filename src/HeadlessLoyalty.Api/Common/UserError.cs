namespace HeadlessLoyalty.Api.Common;

/// <summary>An expected failure as data: GraphQL payloads list these instead of throwing. <see cref="Code"/> is stable (see ERRORS.md).</summary>
public sealed record UserError(string Code, string Message, string? Field = null);
