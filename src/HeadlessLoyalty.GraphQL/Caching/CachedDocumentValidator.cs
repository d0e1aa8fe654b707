using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;

namespace HeadlessLoyalty.GraphQL.Caching;

/// <summary>
/// The document validator, with a lean path for documents that <see cref="ValidatedDocumentCache"/> has already
/// validated. Core's validator does the same steps on every request: a document walk with type information whenever
/// any rule is registered (even when no rule asks for a visitor), variable coercion, and a second walk that parses
/// field arguments. For a cached document only the request-dependent part is left:
/// <list type="number">
/// <item>the cached-document rules run (authorization, HTTP method); the document is walked only if one of them
/// returns a node visitor;</item>
/// <item>variables are coerced from the request (core's <see cref="ValidationContext.GetVariablesValuesAsync"/>, with
/// the rules' variable visitors);</item>
/// <item>arguments are parsed from a per-operation list of the fields that carry arguments (with their field
/// definitions), found once when the document was first seen, instead of a typed walk of the document;</item>
/// <item>the rules' post visitors run, with a walk only if one returns a visitor.</item>
/// </list>
/// Documents seen for the first time, and operations that use directives anywhere (their values are parsed per node by
/// core), go through core's validator unchanged.
/// </summary>
public sealed class CachedDocumentValidator(ValidatedDocumentCache cache) : IDocumentValidator
{
    private readonly DocumentValidator _core = new();
    private readonly ConditionalWeakTable<GraphQLDocument, DocumentPlans> _plans = new();

    private long _leanValidations;

    /// <summary>Validations that took the lean path (the rest went through core's validator).</summary>
    public long LeanValidations => Interlocked.Read(ref _leanValidations);

    public Task<IValidationResult> ValidateAsync(in ValidationOptions options)
    {
        if (options.Operation is not { } operation || !cache.IsValidated(options.Document, options.Schema))
            return _core.ValidateAsync(options);

        var plans = _plans.GetValue(options.Document, _ => new DocumentPlans());
        var plan = plans.For(options.Schema, options.Document, operation);
        if (plan is null)
            return _core.ValidateAsync(options);

        Interlocked.Increment(ref _leanValidations);
        options.Schema.Initialize();
        var context = new ValidationContext
        {
            Schema = options.Schema,
            Document = options.Document,
            Operation = operation,
            UserContext = options.UserContext,
            Variables = options.Variables,
            Extensions = options.Extensions,
            Metrics = options.Metrics,
            RequestServices = options.RequestServices,
            User = options.User,
            CancellationToken = options.CancellationToken,
            TypeInfo = new TypeInfo(options.Schema),
        };
        return ValidateCachedAsync(context, plan, options.Rules ?? []);
    }

    private static async Task<IValidationResult> ValidateCachedAsync(ValidationContext context, OperationPlan plan, IEnumerable<IValidationRule> rules)
    {
        List<INodeVisitor>? visitors = null;
        List<IVariableVisitor>? variableVisitors = null;
        foreach (var rule in rules)
        {
            if (await rule.GetPreNodeVisitorAsync(context).ConfigureAwait(false) is { } visitor)
                (visitors ??= [context.TypeInfo]).Add(visitor);
            if (await rule.GetVariableVisitorAsync(context).ConfigureAwait(false) is { } variableVisitor)
                (variableVisitors ??= []).Add(variableVisitor);
        }
        if (visitors is not null)
            await new BasicVisitor(visitors).VisitAsync(context.Document, new BasicVisitor.State(context)).ConfigureAwait(false);
        if (context.HasErrors)
            return new ValidationResult(context.Errors);

        SeedVariableUsages(context, plan);
        var (variables, variableErrors) = await context.GetVariablesValuesAsync(variableVisitors switch
        {
            null => null,
            [var single] => single,
            _ => new VariableVisitors(variableVisitors),
        }).ConfigureAwait(false);
        foreach (var error in variableErrors ?? [])
            context.ReportError(error);
        if (context.HasErrors)
            return new ValidationResult(context.Errors) { Variables = variables };

        foreach (var (field, definition) in plan.FieldsWithArguments)
        {
            try
            {
                if (ExecutionHelper.GetArguments(definition.Arguments, field.Arguments, variables, context.Document, field, null) is { } arguments)
                    (context.ArgumentValues ??= []).Add(field, arguments);
            }
            catch (ValidationError error)
            {
                context.ReportError(error);
            }
        }
        if (context.HasErrors)
            return new ValidationResult(context.Errors) { Variables = variables, ArgumentValues = context.ArgumentValues };

        visitors = null;
        foreach (var rule in rules)
        {
            if (await rule.GetPostNodeVisitorAsync(context).ConfigureAwait(false) is { } visitor)
                (visitors ??= [context.TypeInfo]).Add(visitor);
        }
        if (visitors is not null)
        {
            context.TypeInfo.Clear();
            await new BasicVisitor(visitors).VisitAsync(context.Document, new BasicVisitor.State(context)).ConfigureAwait(false);
        }

        return new ValidationResult(context.Errors) { Variables = variables, ArgumentValues = context.ArgumentValues };
    }

    private static bool _seedingWorks = true;

    /// <summary>
    /// Core's variable coercion first lists where each variable is used (a typed walk of the operation and its
    /// fragments), to coerce a variable with a default value that is used where a non-null value is required as
    /// non-null. The list depends on the document only. Core keeps it in a private per-context dictionary; seeding that
    /// dictionary with the list found on the first request spares the walk. If a graphql-dotnet release renames the
    /// field, the walk simply runs again (CachedDocumentValidatorTests fails, so the upgrade is noticed).
    /// </summary>
    private static void SeedVariableUsages(ValidationContext context, OperationPlan plan)
    {
        if (!_seedingWorks || context.Operation.Variables is not { Count: > 0 })
            return;
        if (plan.VariableUsages is not { } usages)
        {
            plan.VariableUsages = context.GetRecursiveVariables(context.Operation);
            return;
        }
        try
        {
            VariableUsagesOf(context)[context.Operation] = usages;
        }
        catch (MissingFieldException)
        {
            _seedingWorks = false;
        }
    }

    internal static bool SeedsVariableUsages => _seedingWorks;

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_variables")]
    private static extern ref Dictionary<GraphQLOperationDefinition, List<VariableUsage>> VariableUsagesOf(ValidationContext context);

    /// <summary>The plans of one document's operations, per schema (a document may be cached for several schemas).</summary>
    private sealed class DocumentPlans
    {
        private readonly ConcurrentDictionary<(ISchema, GraphQLOperationDefinition), OperationPlan?> _plans = new();

        public OperationPlan? For(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition operation) =>
            _plans.GetOrAdd((schema, operation), key => OperationPlan.Build(key.Item1, document, key.Item2));
    }

    /// <summary>
    /// The fields of one operation that carry arguments, each with its field definition, in document order, through
    /// inline fragments and named fragments (each named fragment once, as core's argument parser does).
    /// Null when the operation or any fragment it uses carries a directive: those go through core's validator.
    /// </summary>
    internal sealed class OperationPlan
    {
        private OperationPlan(List<(GraphQLField, FieldType)> fields) => FieldsWithArguments = fields;

        public IReadOnlyList<(GraphQLField Field, FieldType Definition)> FieldsWithArguments { get; }

        /// <summary>Where the operation uses its variables (core's <see cref="ValidationContext.GetRecursiveVariables"/>), once known; read-only.</summary>
        public List<VariableUsage>? VariableUsages { get; set; }

        public static OperationPlan? Build(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition operation)
        {
            IComplexGraphType? root = operation.Operation switch
            {
                OperationType.Query => schema.Query,
                OperationType.Mutation => schema.Mutation,
                OperationType.Subscription => schema.Subscription,
                _ => null,
            };
            if (root is null || operation.Directives?.Count > 0)
                return null;
            var fields = new List<(GraphQLField, FieldType)>();
            var visitedFragments = new HashSet<string>(StringComparer.Ordinal);
            return Collect(schema, document, root, operation.SelectionSet, fields, visitedFragments) ? new OperationPlan(fields) : null;
        }

        // False when a directive is found, or something the validated document should not contain (unknown type or field).
        private static bool Collect(ISchema schema, GraphQLDocument document, IComplexGraphType type, GraphQLSelectionSet selectionSet,
            List<(GraphQLField, FieldType)> fields, HashSet<string> visitedFragments)
        {
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        if (field.Directives?.Count > 0)
                            return false;
                        var name = field.Name.Value;
                        var definition =
                            name == schema.TypeMetaFieldType.Name ? schema.TypeMetaFieldType :
                            name == schema.TypeNameMetaFieldType.Name ? schema.TypeNameMetaFieldType :
                            name == schema.SchemaMetaFieldType.Name ? schema.SchemaMetaFieldType :
                            type.GetField(name);
                        if (definition is null)
                            return false;
                        if (field.Arguments?.Count > 0)
                            fields.Add((field, definition));
                        if (field.SelectionSet is { } children)
                        {
                            if (definition.ResolvedType?.GetNamedType() is not IComplexGraphType childType
                                || !Collect(schema, document, childType, children, fields, visitedFragments))
                                return false;
                        }
                        break;

                    case GraphQLInlineFragment inline:
                        if (inline.Directives?.Count > 0)
                            return false;
                        var inlineType = inline.TypeCondition is { } condition
                            ? schema.AllTypes[condition.Type.Name.StringValue]?.GetNamedType() as IComplexGraphType
                            : type;
                        if (inlineType is null || !Collect(schema, document, inlineType, inline.SelectionSet, fields, visitedFragments))
                            return false;
                        break;

                    case GraphQLFragmentSpread spread:
                        if (spread.Directives?.Count > 0)
                            return false;
                        var fragmentName = spread.FragmentName.Name.Value;
                        if (!visitedFragments.Add(fragmentName.ToString()))
                            break;
                        if (document.FindFragmentDefinition(fragmentName) is not { } fragment || fragment.Directives?.Count > 0
                            || schema.AllTypes[fragment.TypeCondition.Type.Name.StringValue]?.GetNamedType() is not IComplexGraphType fragmentType
                            || !Collect(schema, document, fragmentType, fragment.SelectionSet, fields, visitedFragments))
                            return false;
                        break;

                    default:
                        return false;
                }
            }
            return true;
        }
    }

    /// <summary>Several rules' variable visitors as one (core's composite is internal).</summary>
    private sealed class VariableVisitors(List<IVariableVisitor> visitors) : IVariableVisitor
    {
        public async ValueTask VisitScalarAsync(ValidationContext context, GraphQLVariableDefinition variable, VariableName variableName, ScalarGraphType type, object? variableValue, object? parsedValue)
        {
            foreach (var visitor in visitors)
                await visitor.VisitScalarAsync(context, variable, variableName, type, variableValue, parsedValue).ConfigureAwait(false);
        }

        public async ValueTask VisitListAsync(ValidationContext context, GraphQLVariableDefinition variable, VariableName variableName, ListGraphType type, object? variableValue, IList<object?>? parsedValue)
        {
            foreach (var visitor in visitors)
                await visitor.VisitListAsync(context, variable, variableName, type, variableValue, parsedValue).ConfigureAwait(false);
        }

        public async ValueTask VisitObjectAsync(ValidationContext context, GraphQLVariableDefinition variable, VariableName variableName, IInputObjectGraphType type, object? variableValue, object? parsedValue)
        {
            foreach (var visitor in visitors)
                await visitor.VisitObjectAsync(context, variable, variableName, type, variableValue, parsedValue).ConfigureAwait(false);
        }

        public async ValueTask VisitFieldAsync(ValidationContext context, GraphQLVariableDefinition variable, VariableName variableName, IInputObjectGraphType type, FieldType field, object? variableValue, object? parsedValue)
        {
            foreach (var visitor in visitors)
                await visitor.VisitFieldAsync(context, variable, variableName, type, field, variableValue, parsedValue).ConfigureAwait(false);
        }
    }
}
