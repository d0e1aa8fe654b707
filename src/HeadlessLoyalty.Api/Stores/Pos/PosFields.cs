using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.Api.Stores.Pos;

/// <summary>
/// The POS tile's fields: <c>posCustomers</c> (find the customer at the till) and <c>redeemAtPos</c> (points on the current
/// sale). The overview, history and benefits are the Member type's own fields (tier, balance, history, purchases,
/// coupons, eligibleRewards), which the pos role reads through <c>member</c> and <c>posCustomers</c>.
/// </summary>
public static class PosFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MemberType>>>>("posCustomers")
            .Description($"Members matching what was typed at the till: an email (exact, case-insensitive), a member number, a member code, or a phone number (7+ digits, formatting ignored); at most {PosOperations.MaxResults} (pos, admin).")
            .AuthorizeWithRoles(Roles.Pos, Roles.Admin)
            .Argument<NonNullGraphType<StringGraphType>>("search", "Email, member number, member code or phone.")
            .ResolveAsync(async c => (await PosOperations.SearchAsync(c.Db(), c.GetArgument<string>("search"), c.CancellationToken)).Select(MemberView.Of).ToList());
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RedeemAtPosPayloadType>>("redeemAtPos")
            .Description("Spends a member's points on the current sale at a point of sale: a reward's cost, or a number of points; records points.redeemed_at_pos (pos, admin).")
            .AuthorizeWithRoles(Roles.Pos, Roles.Admin)
            .Argument<NonNullGraphType<RedeemAtPosInputType>>("input", "The member, what they spend and the sale.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RedeemAtPosArgs>("input");
                return await Mutations.RunAsync(async () =>
                {
                    var db = c.Db();
                    var memberId = await RewardFields.MemberIdAsync(c, db, input.Member);
                    Guid? rewardId = input.RewardId is null ? null : ResolveContextExtensions.ParseGlobalId(input.RewardId, RewardType.TypeName, "rewardId");
                    Guid? connectionId = input.ConnectionId is null ? null : ResolveContextExtensions.ParseGlobalId(input.ConnectionId, StoreConnectionType.TypeName, "connectionId");
                    // A Shopify POS session token belongs to one store's till: that store is the redemption's, always.
                    if (c.Caller().StoreConnectionId is { } till)
                    {
                        if (connectionId is { } named && named != till)
                            return new RedeemAtPosResult(null, [new(ErrorCodes.Forbidden, "A Shopify POS session redeems at its own store only.", "connectionId")]);
                        connectionId = till;
                    }
                    var payload = await PosOperations.RedeemAsync(db, c.Clock(), c.Caller().Actor,
                        new RedeemAtPosInput(memberId, rewardId, input.Points, connectionId, input.LocationId, input.TransactionReference), input.IdempotencyKey, c.CancellationToken);
                    return new RedeemAtPosResult(payload, []);
                }, errors => new RedeemAtPosResult(null, errors));
            });
    }
}

public sealed class RedeemAtPosArgs
{
    public MemberLookupArgs? Member { get; set; }
    public string? RewardId { get; set; }
    public long? Points { get; set; }
    public string? ConnectionId { get; set; }
    public string? LocationId { get; set; }
    public string TransactionReference { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
}

public sealed class RedeemAtPosInputType : InputObjectGraphType<RedeemAtPosArgs>
{
    public RedeemAtPosInputType()
    {
        Name = "RedeemAtPosInput";
        Description = "Points spent on the sale at the till: a reward (its cost and value) or a number of points.";
        Field<NonNullGraphType<MemberLookupInputType>>("member").Description("The member, by id, email, member code or number.");
        Field<IdGraphType>("rewardId").Description("Global id of a reward: its cost is spent (a points discount takes `points`).");
        Field<LongGraphType>("points").Description("Points to spend (without a reward), or a points discount's choice.");
        Field<IdGraphType>("connectionId").Description("The store connection of the till (a Shopify POS session token's own store by default; naming another is FORBIDDEN): refused while it is paused or disconnected; points without a reward must lie within its min/max points and are worth points x its pointValue; named in the event and written to its audit log.");
        Field<StringGraphType>("locationId").Description("The till's location id (e.g. a Shopify location), named in the event.");
        Field<NonNullGraphType<StringGraphType>>("transactionReference").Description("The POS transaction (sale) the points pay for, at most 100 characters.");
        Field<NonNullGraphType<StringGraphType>>("idempotencyKey").Description("Retry key (required): a retry returns the first result and spends nothing more.");
    }
}

public sealed record RedeemAtPosResult(RedeemAtPosPayload? Payload, IReadOnlyList<UserError> UserErrors);

public sealed class RedeemAtPosPayloadType : ObjectGraphType<RedeemAtPosResult>
{
    public RedeemAtPosPayloadType()
    {
        Name = "RedeemAtPosPayload";
        Description = "Result of redeemAtPos.";
        Field<LongGraphType>("points").Description("Points spent; null when refused.").Resolve(c => c.Source.Payload?.Points);
        Field<DecimalGraphType>("value").Description("What they are worth on the sale (reward value, or points x the store's point value); null when unknown or refused.").Resolve(c => c.Source.Payload?.Value);
        Field<StringGraphType>("currency").Description("ISO 4217 currency of the value; null when refused.").Resolve(c => c.Source.Payload?.Currency);
        Field<StringGraphType>("transactionReference").Description("The POS transaction; null when refused.").Resolve(c => c.Source.Payload?.TransactionReference);
        Field<IdGraphType>("entryId").Description("Global id of the ledger entry that spent the points; null when refused.").Resolve(c => c.Source.Payload is { } p ? GlobalId.Encode(LedgerEntryType.TypeName, p.EntryId.ToString()) : null);
        Field<BalanceType>("balance").Description("The balance right after; null when refused.").Resolve(c => c.Source.Payload?.Balance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors").Description("Why nothing changed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}
