using GraphQL.Validation;
using GraphQLParser.AST;

namespace HeadlessLoyalty.GraphQL.Authorization;

/// <summary>
/// Decides whether @skip/@include remove a selection, so that fields the executor will not run are not checked.
/// Evaluated before execution, from the request's variable values or the declared defaults.
/// </summary>
internal static class SkipIncludeConditions
{
    /// <summary>@skip/@include with literal or variable conditions (request variable values, then the declared default).</summary>
    public static bool IsSkipped(ASTNode selection, ValidationContext context)
    {
        if (selection is not IHasDirectivesNode { Directives: { } directives })
            return false;
        foreach (var directive in directives)
        {
            var name = directive.Name.StringValue;
            if (name == "skip" && ConditionValue(directive, context, whenMissing: false))
                return true;
            if (name == "include" && !ConditionValue(directive, context, whenMissing: true))
                return true;
        }
        return false;
    }

    private static bool ConditionValue(GraphQLDirective directive, ValidationContext context, bool whenMissing)
    {
        var argument = directive.Arguments?.FirstOrDefault(a => a.Name.StringValue == "if");
        switch (argument?.Value)
        {
            case GraphQLBooleanValue literal:
                return literal.BoolValue;
            case GraphQLVariable variable:
                var variableName = variable.Name.StringValue;
                if (context.Variables is { } inputs && inputs.TryGetValue(variableName, out var raw) && raw is bool fromRequest)
                    return fromRequest;
                var definition = context.Operation.Variables?.FirstOrDefault(v => v.Variable.Name.StringValue == variableName);
                if (definition?.DefaultValue is GraphQLBooleanValue fromDefault)
                    return fromDefault.BoolValue;
                return whenMissing;
            default:
                return whenMissing;
        }
    }
}
