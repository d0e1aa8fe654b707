using System.Globalization;
using System.Security.Cryptography;
using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Rewards;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Stores.Checkout;

/// <summary>
/// Points at checkout on a connected store. The discount is a single-use coupon of a fixed amount (points x the store's
/// point value) created on the store (Shopify: a basic code discount limited to the member's customer; WooCommerce: a
/// fixed-cart coupon for the member's email) inside the transaction that deducts the points, exactly as redeemCoupon
/// does (<see cref="IStoreCoupons"/>): a store failure deducts nothing. The order that uses the code marks the coupon used
/// (the ingest), which links the redemption to the order. Unused past its lifetime plus <see cref="ReturnGrace"/>, the
/// discount is deleted on the store and its points return (<see cref="ExpireAsync"/>, the checkout-discount-expiry job; points.adjusted
/// with cause <c>checkout_return</c>).
/// </summary>
public sealed class CheckoutOperations(
    LoyaltyDbContext db, TimeProvider clock, StoreCouponService stores, ILogger<CheckoutOperations> log,
    StoreDiscountUsage usage)
{
    public const string ApplyOperation = "applyPointsAtCheckout";
    public const string RewardName = "Points at checkout";

    /// <summary>
    /// A discount is returned this long after its code ended on the store, not at once: an order placed just before the
    /// end whose webhook arrives late still finds its coupon issued (the coupon's own expiry is the store's end plus this).
    /// </summary>
    public static readonly TimeSpan ReturnGrace = TimeSpan.FromHours(1);

    /// <summary>How long a checkout discount stays usable on the store: the connection's <c>couponValidityDays</c> (1 to 90, default 7).</summary>
    public static TimeSpan Lifetime(StoreConnection connection) => TimeSpan.FromDays(connection.CouponValidityDays);

    /// <summary>The member's checkout on <paramref name="connectionId"/> (default: the member's store).</summary>
    public async Task<CheckoutQuote> QuoteAsync(Guid memberId, Guid? connectionId, CancellationToken ct)
    {
        var member = await MemberQueries.GetAsync(db, memberId, ct);
        var connection = await ConnectionAsync(memberId, connectionId, ct);
        var approved = member.Status == MemberStatus.Blocked ? 0 : Math.Max((await MemberQueries.BalanceAsync(db, memberId, ct))?.Approved ?? 0, 0);
        var currency = (await db.CurrentProgramAsync(ct)).Currency;
        var max = CheckoutRules.MaxRedeemable(approved, connection.MinRedeemPoints, connection.MaxRedeemPoints);
        var now = clock.GetUtcNow();
        var open = await (from d in db.CheckoutDiscounts.AsNoTracking()
                          join c in db.Coupons.AsNoTracking() on d.CouponId equals c.Id
                          where d.MemberId == memberId && d.ConnectionId == connection.Id && d.State == CheckoutDiscountState.Applied
                                && c.Status == CouponStatus.Issued && d.ExpiresAt > now
                          select new { d, c }).ToListAsync(ct);
        return new CheckoutQuote(memberId, connection.Id, approved, CheckoutRules.Worth(approved, connection.PointValue), currency, connection.PointValue,
            connection.MinRedeemPoints, connection.MaxRedeemPoints, max, CheckoutRules.Worth(max, connection.PointValue),
            [.. open.OrderBy(x => x.d.CreatedAt).Select(x => CheckoutDiscountView.Of(x.d, x.c))]);
    }

    /// <summary>
    /// Spends <paramref name="input"/>.Points on a discount on the store (idempotency key required). Refusals, nothing
    /// deducted: INVALID_INPUT (points out of the store's bounds), INSUFFICIENT_POINTS, MEMBER_BLOCKED, STORE_PAUSED,
    /// STORE_DISCONNECTED, STORE_CUSTOMER_UNKNOWN (Shopify), STORE_COUPON_FAILED, STORE_NOT_RESOLVED.
    /// </summary>
    public async Task<ApplyCheckoutPayload> ApplyAsync(string actor, ApplyCheckoutInput input, string? idempotencyKey, CancellationToken ct)
    {
        if (await Idempotent.StoredAsync<ApplyCheckoutInput, ApplyCheckoutPayload>(db, ApplyOperation, idempotencyKey, input, ct) is { } replayed)
            return replayed;
        var connection = await ConnectionAsync(input.MemberId, input.ConnectionId, ct);
        if (connection.Status == StoreConnectionStatus.Disconnected)
            throw new StoreDisconnectedException(connection.Id);
        CheckoutRules.ValidatePoints(input.Points, connection.MinRedeemPoints, connection.MaxRedeemPoints, connection.PointValue);
        return await StoreCouponJournal.RunAsync(db, clock, stores.On(connection), input.MemberId, connection.CouponPrefix, log,
            reservation => Idempotent.RunAsync(db, clock, ApplyOperation, idempotencyKey, keyRequired: true, input,
                token => StageApplyAsync(actor, input, connection, idempotencyKey, reservation, token), ct),
            payload => payload.Discount.Code, ct);
    }

    private async Task<ApplyCheckoutPayload> StageApplyAsync(
        string actor, ApplyCheckoutInput input, StoreConnection connection, string? idempotencyKey, StoreCouponReservation reservation, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var member = await MemberQueries.GetAsync(db, input.MemberId, ct);
        var currency = (await db.CurrentProgramAsync(ct)).Currency;
        var reward = await CheckoutRewardAsync(now, ct);
        var code = reservation.Code;
        var value = CheckoutRules.Worth(input.Points, connection.PointValue);
        var spent = await PointsOperations.StagePostAsync(db, clock, actor, new PostPointsInput(
            member.Id, LedgerEntryKind.Redeem, -input.Points, $"Points at checkout on {connection.Platform}", $"checkout:{code}"), idempotencyKey, ct);
        var coupon = new Coupon
        {
            Id = Guid.CreateVersion7(now), MemberId = member.Id, RewardId = reward.Id, Code = code, Kind = RewardKind.FixedAmountCoupon,
            Value = value, Currency = currency, PointsSpent = input.Points, Status = CouponStatus.Issued, IssuedAt = now,
            // Our coupon outlives the store's code by the grace, so a late delivery of an order placed in time still marks it used.
            ExpiresAt = now + Lifetime(connection) + ReturnGrace, RedeemEntryId = spent.Entry.Id, Actor = actor,
        };
        db.Coupons.Add(coupon);
        var endsAt = now + Lifetime(connection);
        coupon.StoreCouponId = await reservation.CreateAsync(db,
            new StoreCoupon(coupon.Id, member.Id, member.Email, code, RewardKind.FixedAmountCoupon, value, currency, endsAt), ct);
        var discount = new CheckoutDiscount
        {
            Id = Guid.CreateVersion7(now), ConnectionId = connection.Id, MemberId = member.Id, CouponId = coupon.Id, Code = code,
            Points = input.Points, Value = value, Currency = currency, CreatedAt = now, ExpiresAt = endsAt, State = CheckoutDiscountState.Applied,
        };
        db.CheckoutDiscounts.Add(discount);
        DomainEvents.Stage(db, EventTypes.PointsRedeemed, member.Id, new PointsRedeemedPayload(
            member.Id, member.Email, input.Points, spent.Balance.Approved, code, reward.Name), now, now);
        DomainEvents.Stage(db, EventTypes.RewardIssued, member.Id, new RewardIssuedPayload(
            member.Id, member.Email, reward.Id, reward.Name, reward.Kind.ToString(), code, value, currency, coupon.ExpiresAt, input.Points, spent.Balance.Approved), now, now);
        return new ApplyCheckoutPayload(CheckoutDiscountView.Of(discount, coupon), spent.Balance);
    }

    /// <summary>
    /// How long past its end a discount whose store cannot be asked (unreachable, refusing, disconnected) keeps its
    /// points: each run asks again; past this the points return anyway, the audit line naming the store's failure. A store
    /// down for days must not hold a member's points forever, and the code ended on the store long before.
    /// </summary>
    public static readonly TimeSpan UnansweredStoreLimit = TimeSpan.FromDays(3);

    /// <summary>
    /// Returns the points of checkout discounts unused past their end plus <see cref="ReturnGrace"/>. First the store is
    /// asked whether the code was used (<see cref="StoreDiscountUsage"/>: an order delivery may never have reached us):
    /// used there, the coupon is marked used (coupon.used, no order known) and nothing returns; a store that cannot be
    /// asked holds the return until the next run, up to <see cref="UnansweredStoreLimit"/> past the end. Otherwise the
    /// discount is deleted on the store (a failure is logged and audited; the code has ended there anyway), its coupon
    /// marked expired and the points credited back (a Reversal credit: spendable again, lifetime points unchanged).
    /// Returns how many returned; a rerun returns none (a used or returned discount is never returned again).
    /// </summary>
    public async Task<int> ExpireAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - ReturnGrace;
        var due = await (from d in db.CheckoutDiscounts.AsNoTracking()
                         join c in db.Coupons.AsNoTracking() on d.CouponId equals c.Id
                         where d.State == CheckoutDiscountState.Applied && d.ExpiresAt <= cutoff && c.Status != CouponStatus.Used
                         orderby d.ExpiresAt
                         select new { d.Id, d.ExpiresAt, Coupon = c }).Take(500).ToListAsync(ct);
        var returned = 0;
        foreach (var x in due)
        {
            var c = x.Coupon;
            string? deleteFailure = null;
            if (c.StoreCouponId is { } storeId)
            {
                var answer = await usage.AskAsync(storeId, ct);
                if (answer.Used == true)
                {
                    await MarkUsedOnStoreAsync(x.Id, ct);
                    continue;
                }
                if (answer.Used is null)
                {
                    if (now < x.ExpiresAt + UnansweredStoreLimit)
                    {
                        log.LogWarning("Checkout discount {Code}: the store could not say whether it was used ({Reason}); its points return on a later run.", c.Code, answer.Failure);
                        continue;
                    }
                    deleteFailure = $"it could not be asked whether the code was used for {UnansweredStoreLimit.TotalDays:0} days ({answer.Failure})";
                }
                try
                {
                    await stores.DeleteAsync(new StoreCoupon(c.Id, c.MemberId, "", c.Code, c.Kind, c.Value, c.Currency, c.ExpiresAt), storeId, "the checkout discount ended unused", ct);
                }
                catch (LoyaltyException e)
                {
                    deleteFailure = deleteFailure is null ? e.Message : $"{deleteFailure}; {e.Message}";
                    log.LogWarning("Checkout discount {Code}: could not delete it on the store ({Reason}); its points return anyway (it has ended there).", c.Code, e.Message);
                }
            }
            if (await ReturnAsync(x.Id, deleteFailure, ct))
                returned++;
        }
        return returned;
    }

    /// <summary>The store counted a use we never heard of: the coupon is used (coupon.used with no order), its points stay spent.</summary>
    private Task<bool> MarkUsedOnStoreAsync(Guid discountId, CancellationToken ct) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            var now = clock.GetUtcNow();
            if (await OpenAsync(discountId, token) is not var (_, coupon))
                return false;
            coupon.Status = CouponStatus.Used;
            coupon.UsedAt = now;
            coupon.Version++;
            var member = await MemberQueries.GetAsync(db, coupon.MemberId, token);
            // No order reference: the store counted the use, its order delivery never reached us.
            DomainEvents.Stage(db, EventTypes.CouponUsed, member.Id, new CouponUsedPayload(
                member.Id, member.Email, coupon.Code, coupon.Kind.ToString(), coupon.Value, coupon.Currency, ""), now, now);
            log.LogInformation("Checkout discount {Code} was used on the store (no order delivery told us): marked used, no points return.", coupon.Code);
            return true;
        }, ct);

    private Task<bool> ReturnAsync(Guid discountId, string? deleteFailure, CancellationToken ct) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            var now = clock.GetUtcNow();
            if (await OpenAsync(discountId, token) is not var (discount, coupon))
                return false;
            if (coupon.Status == CouponStatus.Issued)
                coupon.Status = CouponStatus.Expired;
            coupon.Version++;
            var back = await PointsOperations.StagePostAsync(db, clock, "system", new PostPointsInput(
                discount.MemberId, LedgerEntryKind.Reversal, discount.Points, $"Checkout discount {discount.Code} expired unused: points returned",
                $"checkout-return:{discount.Code}"), null, token, adjustmentCause: PointsAdjustedCauses.CheckoutReturn);
            discount.State = CheckoutDiscountState.Returned;
            discount.ReturnedAt = now;
            discount.ReturnEntryId = back.Entry.Id;
            discount.Version++;
            StoreOperations.Audit(db, discount.ConnectionId, StoreAuditActions.CouponDeleted, "system",
                string.Create(CultureInfo.InvariantCulture, $"Checkout discount {discount.Code} expired unused: {discount.Points} points returned to member {discount.MemberId:D}")
                + (deleteFailure is null ? "; deleted on the store" : $"; the store did not delete it: {deleteFailure}"), now);
            return true;
        }, ct);

    /// <summary>
    /// The discount and its coupon, tracked, while still open (applied, its coupon not used); null once an order or an
    /// earlier run settled it (an order reported meanwhile wins: the coupon's concurrency token makes one of the two retry).
    /// </summary>
    private async Task<(CheckoutDiscount Discount, Coupon Coupon)?> OpenAsync(Guid discountId, CancellationToken ct)
    {
        var discount = await db.CheckoutDiscounts.FirstAsync(d => d.Id == discountId, ct);
        var coupon = await db.Coupons.FirstAsync(c => c.Id == discount.CouponId, ct);
        return discount.State != CheckoutDiscountState.Applied || coupon.Status == CouponStatus.Used ? null : (discount, coupon);
    }

    /// <summary>The connection named (any status but must exist), else the member's store (<see cref="StoreCouponService.RouteAsync"/>).</summary>
    private async Task<StoreConnection> ConnectionAsync(Guid memberId, Guid? connectionId, CancellationToken ct)
    {
        if (connectionId is { } id)
            return await db.StoreConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new StoreConnectionNotFoundException(id);
        return await stores.RouteAsync(memberId, ct)
            ?? throw new StoreNotResolvedException("The program has no store connection: checkout discounts live on a store.");
    }

    /// <summary>
    /// The program's "Points at checkout" reward that labels checkout coupons (a coupon names a reward). Disabled, so
    /// redeemCoupon refuses it; its id is derived from the program, so concurrent first uses insert the same row and
    /// the loser retries on it.
    /// </summary>
    private async Task<Reward> CheckoutRewardAsync(DateTimeOffset now, CancellationToken ct)
    {
        var id = CheckoutRewardId(db.CurrentProgramId);
        if (await db.Rewards.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } existing)
            return existing;
        var reward = new Reward
        {
            Id = id, Name = RewardName, Kind = RewardKind.PointsDiscount, CodePrefix = "POINTS", ValidityDays = 1, Enabled = false, UpdatedAt = now,
        };
        db.Rewards.Add(reward);
        return reward;
    }

    public static Guid CheckoutRewardId(Guid programId) =>
        new(SHA256.HashData([.. "checkout-reward:"u8, .. programId.ToByteArray()]).AsSpan(0, 16));
}
