using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay.DataObjects;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.GraphQL.Connections;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Purchases;

public static class PurchaseFields
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<EarningRulesType>>("earningRules")
            .Description("How the program's purchases earn points (admin, pos, partner, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Pos, Roles.Partner, Roles.Service)
            .ResolveAsync(async c => await PurchaseOperations.GetSettingsAsync(c.Db(), c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RecordPurchasePayloadType>>("recordPurchase")
            .Description("Records a purchase from any channel and earns its points by the program's rules (admin, pos, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Pos, Roles.Service)
            .Argument<NonNullGraphType<RecordPurchaseInputType>>("input", "The purchase.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RecordPurchaseArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var memberId = ResolveContextExtensions.ParseGlobalId(input.MemberId, MemberType.TypeName, "memberId");
                    var payload = await PurchaseOperations.RecordAsync(c.Db(), c.Clock(), c.Caller().Actor, new RecordPurchaseInput(
                        memberId, input.Channel, input.StoreId, input.LocationId, input.OrderReference, input.Amount, input.Subtotal,
                        input.Currency, input.OccurredAt is { } at ? ResolveContextExtensions.AsUtc(at) : null, input.Status,
                        input.Lines?.Select(l => new PurchaseLineInput(l.ProductId, l.VariantId, l.Sku, l.Name, l.Quantity, l.UnitPrice)).ToList()), c.CancellationToken);
                    return new RecordPurchaseResult(payload.Purchase, payload.Balance, payload.Replayed, []);
                }, errors => new RecordPurchaseResult(null, null, false, errors));
            });

        mutation.Field<NonNullGraphType<ReversePurchasePayloadType>>("reversePurchase")
            .Description("Refunds a recorded purchase in full or in part and takes back its points in proportion (admin, pos, service).")
            .AuthorizeWithRoles(Roles.Admin, Roles.Pos, Roles.Service)
            .Argument<NonNullGraphType<ReversePurchaseInputType>>("input", "The refund.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<ReversePurchaseArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var payload = await PurchaseOperations.ReverseAsync(c.Db(), c.Clock(), c.Caller().Actor, new ReversePurchaseInput(
                        input.Channel, input.StoreId, input.OrderReference, input.RefundAmount, input.RefundReference, input.Reason), c.CancellationToken);
                    return new ReversePurchaseResult(payload.Purchase, payload.Balance, payload.PointsTakenBack, []);
                }, errors => new ReversePurchaseResult(null, null, 0, errors));
            });

        mutation.Field<NonNullGraphType<UpdateEarningRulesPayloadType>>("updateEarningRules")
            .Description("Changes how purchases earn points from now on (admin). Recorded purchases keep what they earned.")
            .AuthorizeWithRoles(Roles.Admin)
            .Argument<NonNullGraphType<EarningRulesInputType>>("input", "The changes.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<EarningRulesArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var db = c.Db();
                    var current = await PurchaseOperations.GetSettingsAsync(db, c.CancellationToken);
                    var updated = await PurchaseOperations.UpdateSettingsAsync(db, c.Clock(), input.ApplyTo(current), c.CancellationToken);
                    return new UpdateEarningRulesResult(updated, []);
                }, errors => new UpdateEarningRulesResult(null, errors));
            });
    }

    /// <summary>The member's purchases across channels, newest first.</summary>
    public static Task<Connection<PurchaseView>> OfMemberAsync(IResolveFieldContext context, Guid memberId)
    {
        var purchases = PurchaseOperations.OfMember(context.Db(), memberId);
        return context.PageAsync(purchases, PurchaseView.Of, DefaultPageSize, MaxPageSize);
    }

}
