using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.GraphQL.DataLoading;

namespace HeadlessLoyalty.Api.Expiry;

public sealed class ExpiryPolicyType : ObjectGraphType<ExpirySettings>
{
    public ExpiryPolicyType()
    {
        Name = "ExpiryPolicy";
        Description = "When points lapse. Both parts may be on; whichever comes first lapses the points. Days are counted in the program's time zone.";
        Field<IntGraphType>("lotValidityMonths")
            .Description("Points earned on a day stay valid through the same day this many months later (first in, first out); null: they never lapse by date. A change applies to points earned afterwards.")
            .Resolve(c => c.Source.LotValidityMonths);
        Field<IntGraphType>("inactivityMonths")
            .Description("A member with no qualifying activity (a purchase or activity earning points, or a redemption) for this many months loses every remaining point; null: off.")
            .Resolve(c => c.Source.InactivityMonths);
    }
}

public sealed class ExpiryPolicyArgs
{
    public int? LotValidityMonths { get; set; }
    public int? InactivityMonths { get; set; }

    public ExpirySettings ToSettings() => new(LotValidityMonths, InactivityMonths);
}

public sealed class ExpiryPolicyInputType : InputObjectGraphType<ExpiryPolicyArgs>
{
    public ExpiryPolicyInputType()
    {
        Name = "ExpiryPolicyInput";
        Description = "The whole policy (it replaces the current one): a field left out or null turns that part off.";
        Field<IntGraphType>("lotValidityMonths").Description("1 to 120 months, or null: points never lapse by date.");
        Field<IntGraphType>("inactivityMonths").Description("1 to 120 months, or null: no inactivity expiry.");
    }
}

public sealed record UpdateExpiryPolicyResult(ExpirySettings? ExpiryPolicy, IReadOnlyList<UserError> UserErrors);

public sealed class UpdateExpiryPolicyPayloadType : ObjectGraphType<UpdateExpiryPolicyResult>
{
    public UpdateExpiryPolicyPayloadType()
    {
        Name = "UpdateExpiryPolicyPayload";
        Description = "Result of updateExpiryPolicy.";
        Field<ExpiryPolicyType>("expiryPolicy").Description("The policy now in force; null when refused.").Resolve(c => c.Source.ExpiryPolicy);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed class ExpiringPointsType : ObjectGraphType<ExpiringPoints>
{
    public ExpiringPointsType()
    {
        Name = "ExpiringPoints";
        Description = "Points that lapse together.";
        Field<NonNullGraphType<LongGraphType>>("points").Description("How many points lapse.").Resolve(c => c.Source.Points);
        Field<NonNullGraphType<DateTimeGraphType>>("at").Description("When they lapse: the start of the day after their last valid day, in the program's time zone.").Resolve(c => c.Source.At.UtcDateTime);
    }
}

public static class ExpiryFields
{
    public const int MaxWithinDays = 3650;

    public static void AddQueries(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ExpiryPolicyType>>("expiryPolicy")
            .Description("The program's points expiry policy (admin, partner, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Partner, Roles.Service)
            .ResolveAsync(async c => await ExpiryOperations.GetPolicyAsync(c.Db(), c.CancellationToken));

    public static void AddMutations(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<UpdateExpiryPolicyPayloadType>>("updateExpiryPolicy")
            .Description("Replaces the points expiry policy (admin). Lots earned before keep their dates; the inactivity part applies to everyone at the next expiry run.")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<ExpiryPolicyInputType>>("input", "The new policy.")
            .ResolveAsync(async c => await Mutations.RunAsync(async () => new UpdateExpiryPolicyResult(
                    await ExpiryOperations.UpdatePolicyAsync(c.Db(), c.Clock(), c.GetArgument<ExpiryPolicyArgs>("input").ToSettings(), c.CancellationToken), []),
                errors => new UpdateExpiryPolicyResult(null, errors)));

    /// <summary>The member's expiry outlook, batched: the same queries for every member of a page (both member fields share it).</summary>
    public static IDataLoaderResult<ExpiryOutlook> LoadOutlook(IResolveFieldContext context, Guid memberId) =>
        context.BatchLoader<Guid, ExpiryOutlook>("Member.expiry", async (ids, ct) =>
            await ExpiryOperations.OutlookAsync(context.Db(), ids, ct)).LoadAsync(memberId).Then(o => o ?? ExpiryOutlook.None);

    /// <summary>Points of the member lapsing within <paramref name="days"/> days from now (INVALID_INPUT outside 0 to 3,650).</summary>
    public static IDataLoaderResult<long> LoadExpiringWithin(IResolveFieldContext context, Guid memberId, int days)
    {
        if (days is < 0 or > MaxWithinDays)
            throw new ExecutionError($"withinDays must be between 0 and {MaxWithinDays}.") { Code = ErrorCodes.InvalidInput };
        var until = context.Clock().GetUtcNow().AddDays(days);
        return LoadOutlook(context, memberId).Then(o => o.Within(until));
    }
}
