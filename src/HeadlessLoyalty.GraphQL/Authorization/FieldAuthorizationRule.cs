using GraphQL.Validation;

namespace HeadlessLoyalty.GraphQL.Authorization;

/// <summary>
/// Validation rule enforcing graphql-dotnet authorization metadata on the schema, on the types and fields selected by
/// the executing operation (through inline and named fragments, honouring @skip/@include with variable values) and
/// on arguments, input types and input fields (literal, variable or variable default). Semantics follow GraphQL.Server's authorization rule:
/// <list type="bullet">
/// <item>fields are checked individually; a field marked AllowAnonymous is not checked;</item>
/// <item>a type (root type, field return type, fragment type condition) is checked unless every field selected on it
/// is marked AllowAnonymous (a selection of only <c>__typename</c> counts as not anonymous);</item>
/// <item><c>__schema</c> and <c>__type</c> count as anonymous: put a requirement on the schema to protect introspection;</item>
/// <item>the schema's own requirement always applies.</item>
/// </list>
/// Runs after variables are parsed (post-node pass), so variable-driven @skip/@include are evaluated correctly.
/// </summary>
public sealed class FieldAuthorizationRule : IValidationRule
{
    public ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => default;

    public ValueTask<IVariableVisitor?> GetVariableVisitorAsync(ValidationContext context) => default;

    public async ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context)
    {
        // The check walks the operation itself (fragments expanded once each), so no document visitor is needed.
        await new OperationAuthorizationWalk(context).RunAsync().ConfigureAwait(false);
        return null;
    }
}
