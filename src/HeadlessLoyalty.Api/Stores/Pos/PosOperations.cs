using System.Globalization;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Stores.Checkout;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Stores.Pos;

public sealed record RedeemAtPosInput(Guid MemberId, Guid? RewardId, long? Points, Guid? ConnectionId, string? LocationId, string TransactionReference);

public sealed record RedeemAtPosPayload(Guid MemberId, long Points, decimal? Value, string Currency, string TransactionReference, Guid EntryId, BalanceView Balance);

/// <summary>The point of sale: find the customer at the till, and spend their points on the current sale.</summary>
public static class PosOperations
{
    public const string RedeemOperation = "redeemAtPos";
    public const int MaxResults = 10;

    /// <summary>Members matching an email, member number, member code or phone (<see cref="PosSearchKeys"/>), at most <see cref="MaxResults"/>.</summary>
    public static async Task<IReadOnlyList<Member>> SearchAsync(LoyaltyDbContext db, string search, CancellationToken ct)
    {
        var keys = PosSearchKeys.Of(search);
        var found = new List<Member>();
        if (keys.Email is { } email && await MemberQueries.FindByEmailAsync(db, email, ct) is { } byEmail)
            found.Add(byEmail);
        if (keys.Number is { } number && await MemberQueries.FindByNumberAsync(db, number, ct) is { } byNumber)
            found.Add(byNumber);
        if (keys.Code is { } code && await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.MemberCode == code, ct) is { } byCode)
            found.Add(byCode);
        if (keys.PhoneDigits is { } digits)
        {
            // Narrowed in SQL by the last four digits (stored phones keep their formatting), then compared digit by digit.
            var tail = digits[^4..];
            var candidates = await db.Members.AsNoTracking().Where(m => m.Phone != null && m.Phone.Contains(tail)).Take(200).ToListAsync(ct);
            found.AddRange(candidates.Where(m => PosSearchKeys.PhoneMatches(m.Phone, digits)));
        }
        return [.. found.DistinctBy(m => m.Id).Take(MaxResults)];
    }

    /// <summary>
    /// Spends points on the current sale (idempotency key required): a reward's cost (and value), or a number of points
    /// worth the store's point value. One Redeem entry and a <c>points.redeemed_at_pos</c> event; no coupon (the till
    /// applies the discount). With the till's store connection named: a paused store refuses (STORE_PAUSED), a
    /// disconnected one too (STORE_DISCONNECTED); points without a reward must lie within the store's min/max points and
    /// be worth a cent (<see cref="CheckoutRules.ValidatePoints"/>, as a checkout discount; a reward costs what it costs);
    /// and the redemption is written to the store's audit log (REDEEMED_AT_POS) in the same transaction.
    /// Refusals: INVALID_INPUT, REWARD_NOT_FOUND, REWARD_DISABLED, INSUFFICIENT_POINTS, MEMBER_BLOCKED, MEMBER_NOT_FOUND,
    /// STORE_CONNECTION_NOT_FOUND, STORE_PAUSED, STORE_DISCONNECTED.
    /// </summary>
    public static Task<RedeemAtPosPayload> RedeemAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, RedeemAtPosInput input, string? idempotencyKey, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.TransactionReference) || input.TransactionReference.Trim().Length > 100)
            throw new InvalidInputException("transactionReference", "The POS transaction reference is required (at most 100 characters).");
        if (input.LocationId is { Length: > 100 })
            throw new InvalidInputException("locationId", "The location id must be at most 100 characters.");
        if (input.RewardId is null && input.Points is null)
            throw new InvalidInputException("points", "Name a reward or a number of points.");
        return Idempotent.RunAsync(db, clock, RedeemOperation, idempotencyKey, keyRequired: true, input, async token =>
        {
            var now = clock.GetUtcNow();
            var member = await MemberQueries.GetAsync(db, input.MemberId, token);
            var currency = (await db.CurrentProgramAsync(token)).Currency;
            StoreConnection? connection = null;
            if (input.ConnectionId is { } cid)
            {
                connection = await db.StoreConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cid, token) ?? throw new StoreConnectionNotFoundException(cid);
                connection.EnsureRedeemable();
            }
            long points;
            decimal? value;
            string what;
            if (input.RewardId is { } rid)
            {
                var reward = await db.Rewards.AsNoTracking().FirstOrDefaultAsync(r => r.Id == rid, token) ?? throw new RewardNotFoundException(rid);
                if (!reward.Enabled)
                    throw new RewardDisabledException(reward.Id);
                var quote = RewardRules.Quote(reward, input.Points);
                (points, value, what) = (quote.Points, quote.Value, reward.Name);
            }
            else
            {
                points = input.Points!.Value;
                if (points <= 0)
                    throw new InvalidInputException("points", "Points must be positive.");
                if (connection is not null)
                    CheckoutRules.ValidatePoints(points, connection.MinRedeemPoints, connection.MaxRedeemPoints, connection.PointValue);
                value = connection is null ? null : CheckoutRules.Worth(points, connection.PointValue);
                what = "points";
            }
            var reference = input.TransactionReference.Trim();
            var spent = await PointsOperations.StagePostAsync(db, clock, actor, new PostPointsInput(
                member.Id, LedgerEntryKind.Redeem, -points, $"Redeemed at POS: {what}", $"pos:{reference}"), idempotencyKey, token);
            DomainEvents.Stage(db, EventTypes.PointsRedeemedAtPos, member.Id, new PointsRedeemedAtPosPayload(
                member.Id, member.Email, points, spent.Balance.Approved, connection?.StoreKey, input.LocationId, reference, value, currency), now, now);
            if (connection is not null)
                StoreOperations.Audit(db, connection.Id, StoreAuditActions.RedeemedAtPos, actor, string.Create(CultureInfo.InvariantCulture,
                    $"{points} points ({what}{(value is { } v ? $", worth {v} {currency}" : "")}) by member {member.Id:D} on sale {reference}{(input.LocationId is { } loc ? $" at location {loc}" : "")}"), now);
            return new RedeemAtPosPayload(member.Id, points, value, currency, reference, spent.Entry.Id, spent.Balance);
        }, ct);
    }
}
