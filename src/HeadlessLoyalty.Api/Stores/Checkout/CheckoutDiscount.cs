using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HeadlessLoyalty.Api.Stores.Checkout;

public enum CheckoutDiscountState { Applied, Returned }

/// <summary>
/// Points a member applied at checkout (<c>applyPointsAtCheckout</c>): a single-use discount on one store connection,
/// backed by a <see cref="Coupon"/> (the code, the redeem entry, and, once an order uses it, the order it was used on).
/// Valid for the connection's <c>couponValidityDays</c> (<see cref="CheckoutOperations.Lifetime"/>): unused past <see cref="ExpiresAt"/> (plus the grace for
/// late deliveries), the <c>checkout-discount-expiry</c> job deletes it on the store and returns its points.
/// </summary>
public sealed class CheckoutDiscount : ITenantOwned
{
    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid ConnectionId { get; init; }
    public required Guid MemberId { get; init; }
    public required Guid CouponId { get; init; }
    public required string Code { get; init; }
    public required long Points { get; init; }
    public required decimal Value { get; init; }
    public required string Currency { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required CheckoutDiscountState State { get; set; }
    public DateTimeOffset? ReturnedAt { get; set; }
    /// <summary>The ledger entry that gave the points back.</summary>
    public Guid? ReturnEntryId { get; set; }
    public long Version { get; set; }

    internal static void Configure(EntityTypeBuilder<CheckoutDiscount> e)
    {
        e.HasKey(x => x.Id);
        e.Property(x => x.Code).HasMaxLength(40);
        e.Property(x => x.Value).HasPrecision(18, 4);
        e.Property(x => x.Currency).HasMaxLength(3);
        e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasIndex(x => x.CouponId).IsUnique();
        // The expiry job's scan, and a member's discounts newest first.
        e.HasIndex(x => new { x.ProgramId, x.State, x.ExpiresAt });
        e.HasIndex(x => new { x.ProgramId, x.MemberId, x.CreatedAt });
        e.HasOne<Coupon>().WithMany().HasForeignKey(x => x.CouponId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<StoreConnection>().WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Restrict);
    }
}
