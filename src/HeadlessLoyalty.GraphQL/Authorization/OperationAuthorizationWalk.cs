using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.GraphQL.Authorization;

/// <summary>One authorization check of one operation; holds per-validation caches, never shared.</summary>
internal sealed class OperationAuthorizationWalk(ValidationContext context)
{
    // Runs on every request, cached documents included: collections are created when first needed, and a check's
    // description is only formatted for a schema element that carries a requirement.
    private Dictionary<string, GraphQLFragmentDefinition>? _fragments;
    private Dictionary<string, SelectionFlags>? _fragmentResults;
    private HashSet<string>? _fragmentsInProgress;
    // Each schema element is checked once per operation: the first location wins the error, later ones add noise.
    private HashSet<IMetadataReader>? _checked;
    private Dictionary<string, bool>? _policyResults;

    public async Task RunAsync()
    {
        var operation = context.Operation;
        if (NeedsCheck(context.Schema))
            await RequireAsync(context.Schema, "The schema", operation).ConfigureAwait(false);

        IObjectGraphType? root = operation.Operation switch
        {
            OperationType.Query => context.Schema.Query,
            OperationType.Mutation => context.Schema.Mutation,
            OperationType.Subscription => context.Schema.Subscription,
            _ => null,
        };
        if (root is null)
            return; // another rule reports the missing root type

        var flags = await WalkSelectionSetAsync(operation.SelectionSet, root).ConfigureAwait(false);
        await RequireTypeAsync(root, flags, operation).ConfigureAwait(false);
    }

    private async ValueTask<SelectionFlags> WalkSelectionSetAsync(GraphQLSelectionSet selectionSet, IGraphType? parentType)
    {
        var flags = default(SelectionFlags);
        foreach (var selection in selectionSet.Selections)
        {
            if (SkipIncludeConditions.IsSkipped(selection, context))
                continue;
            switch (selection)
            {
                case GraphQLField field:
                    flags = flags.Merge(await WalkFieldAsync(field, parentType).ConfigureAwait(false));
                    break;
                case GraphQLInlineFragment inline:
                    var conditionType = inline.TypeCondition is null ? parentType : FindType(inline.TypeCondition.Type.Name.StringValue);
                    var inlineFlags = await WalkSelectionSetAsync(inline.SelectionSet, conditionType).ConfigureAwait(false);
                    // A type condition narrowing to a protected type (e.g. through an interface such as Node)
                    // must not bypass that type's requirement.
                    await RequireTypeAsync(conditionType, inlineFlags, inline).ConfigureAwait(false);
                    flags = flags.Merge(inlineFlags);
                    break;
                case GraphQLFragmentSpread spread:
                    flags = flags.Merge(await WalkFragmentAsync(spread.FragmentName.Name.StringValue).ConfigureAwait(false));
                    break;
            }
        }
        return flags;
    }

    private async ValueTask<SelectionFlags> WalkFieldAsync(GraphQLField field, IGraphType? parentType)
    {
        var name = field.Name.Value;
        // __typename neither requires nor waives authorization; alone it leaves the parent type checked.
        if (name == "__typename")
            return default;
        // Introspection entry points are anonymous; a schema-level requirement protects introspection.
        if (name == "__schema" || name == "__type")
            return new SelectionFlags(AnyAuthenticated: false, AnyAnonymous: true);

        var fieldDef = (parentType as IComplexGraphType)?.GetField(name);
        if (fieldDef is null)
            return default; // unknown field: reported by FieldsOnCorrectType

        var anonymous = fieldDef.IsAnonymousAllowed();
        if (!anonymous && NeedsCheck(fieldDef))
            await RequireAsync(fieldDef, $"Field '{parentType!.Name}.{fieldDef.Name}'", field).ConfigureAwait(false);

        if (field.Arguments is not null)
        {
            foreach (var argument in field.Arguments)
            {
                var argumentDef = fieldDef.Arguments?.Find(argument.Name.Value);
                if (argumentDef is null)
                    continue;
                if (NeedsCheck(argumentDef))
                    await RequireAsync(argumentDef, $"Argument '{parentType!.Name}.{fieldDef.Name}({argumentDef.Name})'", argument).ConfigureAwait(false);
                await CheckInputValueAsync(argument.Value, argumentDef.ResolvedType, argument).ConfigureAwait(false);
            }
        }

        var returnType = fieldDef.ResolvedType?.GetNamedType();
        var childFlags = field.SelectionSet is null
            ? default
            : await WalkSelectionSetAsync(field.SelectionSet, returnType).ConfigureAwait(false);
        await RequireTypeAsync(returnType, childFlags, field).ConfigureAwait(false);

        return anonymous ? new SelectionFlags(false, true) : new SelectionFlags(true, false);
    }

    private async ValueTask<SelectionFlags> WalkFragmentAsync(string fragmentName)
    {
        _fragmentResults ??= new(StringComparer.Ordinal);
        if (_fragmentResults.TryGetValue(fragmentName, out var known))
            return known;
        // Unknown or cyclic fragments are reported by other rules; contribute nothing here.
        _fragments ??= CollectFragments(context.Document);
        if (!_fragments.TryGetValue(fragmentName, out var definition) || !(_fragmentsInProgress ??= new(StringComparer.Ordinal)).Add(fragmentName))
            return default;

        var conditionType = FindType(definition.TypeCondition.Type.Name.StringValue);
        var flags = await WalkSelectionSetAsync(definition.SelectionSet, conditionType).ConfigureAwait(false);
        await RequireTypeAsync(conditionType, flags, definition).ConfigureAwait(false);

        _fragmentsInProgress.Remove(fragmentName);
        _fragmentResults[fragmentName] = flags;
        return flags;
    }

    private async ValueTask CheckInputValueAsync(GraphQLValue value, IGraphType? type, ASTNode node)
    {
        var named = type?.GetNamedType();
        if (named is null || value is GraphQLNullValue)
            return;
        if (NeedsCheck(named))
            await RequireAsync(named, $"Input type '{named.Name}'", node).ConfigureAwait(false);

        switch (value)
        {
            case GraphQLListValue list when list.Values is not null:
                foreach (var item in list.Values)
                    await CheckInputValueAsync(item, named, node).ConfigureAwait(false);
                break;
            case GraphQLVariable variable:
                await CheckVariableValueAsync(variable, named, node).ConfigureAwait(false);
                break;
            case GraphQLObjectValue obj when obj.Fields is not null && named is IInputObjectGraphType inputType:
                foreach (var objectField in obj.Fields)
                {
                    var fieldDef = inputType.GetField(objectField.Name.Value);
                    if (fieldDef is null)
                        continue;
                    if (NeedsCheck(fieldDef))
                        await RequireAsync(fieldDef, $"Input field '{inputType.Name}.{fieldDef.Name}'", objectField).ConfigureAwait(false);
                    await CheckInputValueAsync(objectField.Value, fieldDef.ResolvedType, objectField).ConfigureAwait(false);
                }
                break;
        }
    }

    /// <summary>Input fields supplied through a variable: the request's raw value, else the declared default.</summary>
    private async ValueTask CheckVariableValueAsync(GraphQLVariable variable, IGraphType named, ASTNode node)
    {
        var name = variable.Name.StringValue;
        if (context.Variables is { } inputs && inputs.TryGetValue(name, out var raw))
        {
            await CheckRawValueAsync(raw, named, node).ConfigureAwait(false);
            return;
        }
        var definition = context.Operation.Variables?.FirstOrDefault(v => v.Variable.Name.StringValue == name);
        if (definition?.DefaultValue is { } defaultValue)
            await CheckInputValueAsync(defaultValue, named, node).ConfigureAwait(false);
    }

    private async ValueTask CheckRawValueAsync(object? raw, IGraphType named, ASTNode node)
    {
        switch (raw)
        {
            case IDictionary<string, object?> fields when named is IInputObjectGraphType inputType:
                foreach (var (fieldName, value) in fields)
                {
                    var fieldDef = inputType.GetField(fieldName);
                    if (fieldDef is null)
                        continue;
                    if (NeedsCheck(fieldDef))
                        await RequireAsync(fieldDef, $"Input field '{inputType.Name}.{fieldDef.Name}'", node).ConfigureAwait(false);
                    if (value is not null && fieldDef.ResolvedType?.GetNamedType() is { } fieldType)
                    {
                        if (NeedsCheck(fieldType))
                            await RequireAsync(fieldType, $"Input type '{fieldType.Name}'", node).ConfigureAwait(false);
                        await CheckRawValueAsync(value, fieldType, node).ConfigureAwait(false);
                    }
                }
                break;
            case IEnumerable<object?> items:
                foreach (var item in items)
                    await CheckRawValueAsync(item, named, node).ConfigureAwait(false);
                break;
        }
    }

    private ValueTask RequireTypeAsync(IGraphType? type, SelectionFlags flags, ASTNode node)
    {
        if (type is null || (flags.AnyAnonymous && !flags.AnyAuthenticated) || !NeedsCheck(type))
            return default;
        return RequireAsync(type, $"Type '{type.Name}'", node);
    }

    /// <summary>Whether <paramref name="target"/> carries a requirement not yet checked in this operation (and marks it checked).</summary>
    private bool NeedsCheck(IMetadataReader target) =>
        (target.IsAuthorizationRequired() || target.GetRoles()?.Count > 0 || target.GetPolicies()?.Count > 0)
        && (_checked ??= new(ReferenceEqualityComparer.Instance)).Add(target);

    /// <summary>Checks a requirement of <paramref name="target"/>; call only when <see cref="NeedsCheck"/> said so.</summary>
    private async ValueTask RequireAsync(IMetadataReader target, string description, ASTNode node)
    {
        var roles = target.GetRoles();
        var policies = target.GetPolicies();
        var user = context.User;
        if (user?.Identity?.IsAuthenticated != true)
        {
            Report(AuthorizationErrorCodes.Unauthenticated, $"{description} requires an authenticated user.", node);
            return;
        }

        if (roles is { Count: > 0 } && !roles.Any(user.IsInRole))
        {
            Report(AuthorizationErrorCodes.Forbidden, $"{description} requires one of the roles: {string.Join(", ", roles)}.", node);
            return;
        }

        if (policies is { Count: > 0 })
        {
            var failed = new List<string>();
            foreach (var policy in policies)
            {
                if (!await IsPolicySatisfiedAsync(user, policy).ConfigureAwait(false))
                    failed.Add(policy);
            }
            if (failed.Count > 0)
                Report(AuthorizationErrorCodes.Forbidden, $"{description} requires the policy: {string.Join(", ", failed)}.", node);
        }
    }

    private async ValueTask<bool> IsPolicySatisfiedAsync(ClaimsPrincipal user, string policy)
    {
        _policyResults ??= new(StringComparer.Ordinal);
        if (_policyResults.TryGetValue(policy, out var known))
            return known;
        var services = context.RequestServices
            ?? throw new InvalidOperationException("Authorization policies need ExecutionOptions.RequestServices to resolve IAuthorizationService.");
        var authorization = services.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(user, resource: null, policy).ConfigureAwait(false);
        return _policyResults[policy] = result.Succeeded;
    }

    private void Report(string code, string message, ASTNode node)
        => context.ReportError(new ValidationError(context.Document.Source, null, message, node) { Code = code });

    private IGraphType? FindType(string name) => context.Schema.AllTypes[name];

    private static Dictionary<string, GraphQLFragmentDefinition> CollectFragments(GraphQLDocument document)
    {
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLFragmentDefinition fragment)
                fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        }
        return fragments;
    }

    private readonly record struct SelectionFlags(bool AnyAuthenticated, bool AnyAnonymous)
    {
        public SelectionFlags Merge(SelectionFlags other)
            => new(AnyAuthenticated || other.AnyAuthenticated, AnyAnonymous || other.AnyAnonymous);
    }
}
