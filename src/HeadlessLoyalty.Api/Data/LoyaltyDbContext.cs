using System.Linq.Expressions;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Activities;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Jobs;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Purchases;
using HeadlessLoyalty.Api.Referrals;
using HeadlessLoyalty.Api.Rewards;
using HeadlessLoyalty.Api.Segments;
using HeadlessLoyalty.Api.Stores;
using HeadlessLoyalty.Api.Stores.Ingest;
using HeadlessLoyalty.Api.Tenancy;
using HeadlessLoyalty.Api.Tiers;
using HeadlessLoyalty.Api.Webhooks;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Data;

/// <summary>
/// The one DbContext. Every <see cref="ITenantOwned"/> entity is filtered to the scope's program and stamped
/// with it on insert; a scope without a program sees no tenant rows at all (operator tools use IgnoreQueryFilters).
/// </summary>
public class LoyaltyDbContext(DbContextOptions options, TenantContext tenant) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<LoyaltyProgram> Programs => Set<LoyaltyProgram>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<MemberExternalId> MemberExternalIds => Set<MemberExternalId>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<PointsBalance> Balances => Set<PointsBalance>();
    public DbSet<PointsLot> PointsLots => Set<PointsLot>();
    public DbSet<LotAllocation> LotAllocations => Set<LotAllocation>();
    public DbSet<ProgramExpiryPolicy> ExpiryPolicies => Set<ProgramExpiryPolicy>();
    public DbSet<Tier> Tiers => Set<Tier>();
    public DbSet<ProgramTierPolicy> TierPolicies => Set<ProgramTierPolicy>();
    public DbSet<MemberTier> MemberTiers => Set<MemberTier>();
    public DbSet<Purchase> Purchases => Set<Purchase>();
    public DbSet<ProgramEarningRules> EarningRules => Set<ProgramEarningRules>();
    public DbSet<DomainEvent> DomainEvents => Set<DomainEvent>();
    public DbSet<EventConsumer> EventConsumers => Set<EventConsumer>();
    public DbSet<EventRetentionMark> EventRetentionMarks => Set<EventRetentionMark>();
    public DbSet<MemberNotice> MemberNotices => Set<MemberNotice>();
    public DbSet<ProgramSegmentRules> SegmentRules => Set<ProgramSegmentRules>();
    public DbSet<MemberSegment> MemberSegments => Set<MemberSegment>();
    public DbSet<Reward> Rewards => Set<Reward>();
    public DbSet<Coupon> Coupons => Set<Coupon>();
    public DbSet<StoreCouponIntent> StoreCouponIntents => Set<StoreCouponIntent>();
    public DbSet<ActivityRule> ActivityRules => Set<ActivityRule>();
    public DbSet<ActivityAward> ActivityAwards => Set<ActivityAward>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<MemberReferral> MemberReferrals => Set<MemberReferral>();
    public DbSet<ProgramReferralRules> ReferralRules => Set<ProgramReferralRules>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<StoreConnection> StoreConnections => Set<StoreConnection>();
    public DbSet<StoreAuditEntry> StoreAuditEntries => Set<StoreAuditEntry>();
    public DbSet<StoreDelivery> StoreDeliveries => Set<StoreDelivery>();
    public DbSet<StoreCatalogItem> StoreCatalogItems => Set<StoreCatalogItem>();
    public DbSet<StoreReconciliationState> StoreReconciliationStates => Set<StoreReconciliationState>();
    public DbSet<Stores.Checkout.CheckoutDiscount> CheckoutDiscounts => Set<Stores.Checkout.CheckoutDiscount>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Read by the query filters on every query (EF parameterizes it per execution).</summary>
    internal Guid CurrentProgramId => tenant.ProgramId ?? Guid.Empty;

    public TenantContext Tenant => tenant;

    /// <summary>The program this context is scoped to (its currency, time zone); read untracked.</summary>
    public Task<LoyaltyProgram> CurrentProgramAsync(CancellationToken ct = default) =>
        Programs.AsNoTracking().FirstAsync(p => p.Id == CurrentProgramId, ct);

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<LoyaltyProgram>(e =>
        {
            e.HasKey(p => p.Id);
            e.Property(p => p.Slug).HasMaxLength(64);
            e.HasIndex(p => p.Slug).IsUnique();
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.Currency).HasMaxLength(3);
            e.Property(p => p.TimeZone).HasMaxLength(64);
        });

        b.Entity<Member>(e =>
        {
            e.HasKey(m => m.Id);
            e.Property(m => m.Email).HasMaxLength(320);
            e.Property(m => m.NormalizedEmail).HasMaxLength(320);
            e.HasIndex(m => new { m.ProgramId, m.NormalizedEmail }).IsUnique();
            e.Property(m => m.MemberCode).HasMaxLength(32);
            e.HasIndex(m => new { m.ProgramId, m.MemberCode }).IsUnique();
            e.HasIndex(m => new { m.ProgramId, m.MemberNumber }).IsUnique();
            e.Property(m => m.FirstName).HasMaxLength(100);
            e.Property(m => m.LastName).HasMaxLength(100);
            e.Property(m => m.Phone).HasMaxLength(32);
            e.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(m => m.Version).IsConcurrencyToken();
            e.HasMany(m => m.ExternalIds).WithOne().HasForeignKey(x => x.MemberId);
        });

        b.Entity<MemberExternalId>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Store).HasMaxLength(200);
            e.Property(x => x.ExternalId).HasMaxLength(100);
            e.HasIndex(x => new { x.ProgramId, x.Store, x.ExternalId }).IsUnique();
        });

        b.Entity<LedgerEntry>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.SourceReference).HasMaxLength(200);
            e.Property(x => x.IdempotencyKey).HasMaxLength(200);
            e.HasIndex(x => new { x.ProgramId, x.MemberId, x.OccurredAt });
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId);
        });

        b.Entity<PointsBalance>(e =>
        {
            e.HasKey(x => x.MemberId);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.Total);
            e.HasOne<Member>().WithOne().HasForeignKey<PointsBalance>(x => x.MemberId);
        });

        b.Entity<PointsLot>(e =>
        {
            e.HasKey(x => x.Id);
            // FIFO reads of one member's open lots, and the member fields' outlook (it also serves the member foreign
            // key: one index less to maintain on a table the expiry run updates by the hundred thousand).
            e.HasIndex(x => new { x.MemberId, x.EarnedAt });
            // The expiry run and the warnings: lots by date.
            e.HasIndex(x => new { x.ProgramId, x.ExpiresAt });
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId);
        });

        b.Entity<LotAllocation>(e =>
        {
            e.HasKey(x => x.Id);
            // By lot and by entry (with the program: the program's foreign key). Three indexes in all, and no foreign
            // key to the lot: the expiry run inserts these by the hundred thousand and a per-row key check was a third
            // of its time; they are append-only, written only with their lot in the same transaction, and lots are never deleted.
            e.HasIndex(x => x.LotId);
            e.HasIndex(x => new { x.ProgramId, x.EntryId });
        });

        b.Entity<ProgramExpiryPolicy>(e => e.HasKey(x => x.ProgramId));

        b.Entity<Tier>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Description).HasMaxLength(1000);
            e.Property(x => x.Threshold).HasPrecision(18, 4);
            e.Property(x => x.EarningMultiplier).HasPrecision(9, 4);
            e.Property(x => x.OnlineMultiplier).HasPrecision(9, 4);
            e.Property(x => x.PosMultiplier).HasPrecision(9, 4);
            // Ranks are renumbered from the thresholds on every change; thresholds are what must not repeat.
            e.HasIndex(x => new { x.ProgramId, x.Rank });
            e.HasIndex(x => new { x.ProgramId, x.Threshold }).IsUnique();
        });

        b.Entity<ProgramTierPolicy>(e =>
        {
            e.HasKey(x => x.ProgramId);
            e.Property(x => x.Metric).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Period).HasConversion<string>().HasMaxLength(24);
            e.Property(x => x.PeriodEnd).HasConversion<string>().HasMaxLength(24);
        });

        b.Entity<MemberTier>(e =>
        {
            e.HasKey(x => x.MemberId);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Member>().WithOne().HasForeignKey<MemberTier>(x => x.MemberId);
            e.HasOne<Tier>().WithMany().HasForeignKey(x => x.TierId).OnDelete(DeleteBehavior.Restrict);
            // The tier run's look-ups of periods that end, and the members filter by tier.
            e.HasIndex(x => new { x.ProgramId, x.ExpiresAt });
            e.HasIndex(x => new { x.ProgramId, x.TierId });
        });

        b.Entity<Purchase>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.StoreId).HasMaxLength(200);
            e.Property(x => x.LocationId).HasMaxLength(200);
            e.Property(x => x.OrderReference).HasMaxLength(200);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Amount).HasPrecision(18, 4);
            e.Property(x => x.Subtotal).HasPrecision(18, 4);
            e.Property(x => x.RefundedAmount).HasPrecision(18, 4);
            // Lines are read and written with their purchase only: one JSON column, no table of their own.
            e.OwnsMany(x => x.Lines, l =>
            {
                l.ToJson();
                l.Property(x => x.UnitPrice).HasPrecision(18, 4);
            });
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => new { x.ProgramId, x.Channel, x.StoreId, x.OrderReference }).IsUnique();
            e.HasIndex(x => new { x.ProgramId, x.MemberId, x.OccurredAt });
            e.HasIndex(x => new { x.ProgramId, x.ApprovalDueAt });
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId);
        });

        b.Entity<ProgramEarningRules>(e =>
        {
            e.HasKey(x => x.ProgramId);
            e.Property(x => x.PointsPerCurrencyUnit).HasPrecision(18, 4);
            e.Property(x => x.Rounding).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Base).HasConversion<string>().HasMaxLength(16);
        });

        b.Entity<Reward>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
            e.Property(x => x.Value).HasPrecision(18, 4);
            e.Property(x => x.ValuePerPoint).HasPrecision(18, 4);
            e.Property(x => x.CodePrefix).HasMaxLength(20);
        });

        b.Entity<Coupon>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Code).HasMaxLength(40);
            e.HasIndex(x => new { x.ProgramId, x.Code }).IsUnique();
            e.HasIndex(x => new { x.ProgramId, x.MemberId, x.IssuedAt });
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(24);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Value).HasPrecision(18, 4);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.StoreCouponId).HasMaxLength(200);
            e.Property(x => x.UsedOnOrder).HasMaxLength(200);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId);
            e.HasOne<Reward>().WithMany().HasForeignKey(x => x.RewardId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<StoreCouponIntent>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Code).HasMaxLength(40);
            e.HasIndex(x => new { x.ProgramId, x.Code }).IsUnique();
            e.HasIndex(x => new { x.ProgramId, x.CreatedAt });
            e.Property(x => x.Target).HasMaxLength(StoreCouponIntent.MaxTargetLength);
            e.Property(x => x.LastError).HasMaxLength(StoreCouponIntent.MaxErrorLength);
            e.Property(x => x.Version).IsConcurrencyToken();
        });

        b.Entity<ProgramSegmentRules>(e => e.HasKey(x => x.ProgramId));

        b.Entity<MemberSegment>(e =>
        {
            e.HasKey(x => x.MemberId);
            e.Property(x => x.Segment).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Member>().WithOne().HasForeignKey<MemberSegment>(x => x.MemberId);
        });

        b.Entity<MemberNotice>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasMaxLength(64);
            e.Property(x => x.Key).HasMaxLength(64);
            e.HasIndex(x => new { x.ProgramId, x.MemberId, x.Kind, x.Key }).IsUnique();
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId);
        });

        b.Entity<DomainEvent>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Type).HasMaxLength(64);
            // Readers: a program's events after a cursor, in position order.
            e.HasIndex(x => new { x.ProgramId, x.Position });
            e.HasIndex(x => new { x.ProgramId, x.MemberId, x.RecordedAt });
            // One position per event, ever (SQL Server filters out the NULLs of unpositioned rows); also the head (MAX).
            e.HasIndex(x => x.Position).IsUnique();
            // The sequencer's queue: events not yet given a position, in the order they get one (a partial index stays tiny).
            e.HasIndex(x => new { x.RecordedAt, x.Id }, "IX_DomainEvents_Unpositioned")
                .HasFilter(Database.IsSqlServer() ? "[Position] IS NULL" : "\"Position\" IS NULL");
        });

        b.Entity<EventConsumer>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Name).HasMaxLength(EventConsumer.MaxNameLength);
            e.HasIndex(x => new { x.ProgramId, x.Name }).IsUnique();
        });

        b.Entity<EventRetentionMark>(e => e.HasKey(x => x.ProgramId));

        b.Entity<ActivityRule>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Key).HasMaxLength(64);
            e.Property(x => x.Type).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Description).HasMaxLength(500);
            e.HasIndex(x => new { x.ProgramId, x.Key }).IsUnique();
        });

        b.Entity<ActivityAward>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.RuleKey).HasMaxLength(64);
            e.Property(x => x.Reference).HasMaxLength(200);
            // The idempotency of an activity, and (by its prefix) the lookup of a member's earlier awards for the limits.
            e.HasIndex(x => new { x.ProgramId, x.RuleKey, x.MemberId, x.Reference }).IsUnique();
            e.HasIndex(x => new { x.ProgramId, x.MemberId, x.OccurredAt });
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.MemberId);
        });

        b.Entity<IdempotencyRecord>(e =>
        {
            e.HasKey(x => new { x.ProgramId, x.Operation, x.Key });
            e.Property(x => x.Operation).HasMaxLength(100);
            e.Property(x => x.Key).HasMaxLength(200);
            e.Property(x => x.RequestHash).HasMaxLength(64);
        });

        b.Entity<JobRun>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Job).HasMaxLength(64);
            e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Trigger).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Error).HasMaxLength(JobRun.MaxErrorLength);
            // The jobs query's "last run" of each job.
            e.HasIndex(x => new { x.ProgramId, x.Job, x.StartedAt });
        });

        b.Entity<MemberReferral>(e =>
        {
            e.HasKey(x => x.MemberId);
            e.Property(x => x.Code).HasMaxLength(32);
            e.HasIndex(x => new { x.ProgramId, x.Code }).IsUnique();
            // A referrer's friends (the counts on a member list).
            e.HasIndex(x => new { x.ProgramId, x.ReferrerId });
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasOne<Member>().WithOne().HasForeignKey<MemberReferral>(x => x.MemberId);
            e.HasOne<Member>().WithMany().HasForeignKey(x => x.ReferrerId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<ProgramReferralRules>(e =>
        {
            e.HasKey(x => x.ProgramId);
            e.Property(x => x.BaseUrl).HasMaxLength(500);
            e.Property(x => x.ReferrerRewardKind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.FriendRewardKind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.MinPurchaseAmount).HasPrecision(18, 4);
        });

        b.Entity<WebhookSubscription>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Url).HasMaxLength(WebhookSubscription.MaxUrlLength);
            e.Property(x => x.Types).HasMaxLength(2000);
            e.Property(x => x.Description).HasMaxLength(WebhookSubscription.MaxDescriptionLength);
            e.Property(x => x.ProtectedSecret).HasMaxLength(1000);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.DisabledReason).HasMaxLength(WebhookSubscription.MaxDescriptionLength);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.TypeList);
            e.HasIndex(x => new { x.ProgramId, x.CreatedAt });
            // The dispatcher's scan of active subscriptions across programs.
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        });

        b.Entity<WebhookDelivery>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.EventType).HasMaxLength(64);
            e.Property(x => x.Error).HasMaxLength(WebhookDelivery.MaxErrorLength);
            // The delivery log of a subscription (newest first) and the attempt count of one event.
            e.HasIndex(x => new { x.SubscriptionId, x.AttemptedAt });
            e.HasIndex(x => new { x.SubscriptionId, x.EventId });
            e.HasOne<WebhookSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<StoreConnection>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Platform).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Url).HasMaxLength(StoreConnection.MaxUrlLength);
            // One connection per store URL per program: reconnecting resumes the row.
            e.HasIndex(x => new { x.ProgramId, x.Url }).IsUnique();
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.ProtectedCredentials).HasMaxLength(4000);
            e.Property(x => x.ProtectedWebhookSecret).HasMaxLength(1000);
            e.Property(x => x.WebhookIds).HasMaxLength(2000);
            e.Property(x => x.AwardOn).HasConversion<string>().HasMaxLength(24);
            e.Property(x => x.PointValue).HasPrecision(18, 4);
            e.Property(x => x.CouponPrefix).HasMaxLength(20);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.StoreKey);
            e.Ignore(x => x.WebhookIdList);
            e.Ignore(x => x.LiveStatus);
            e.Ignore(x => x.IsLive);
        });

        b.Entity<StoreAuditEntry>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Action).HasMaxLength(32);
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.Detail).HasMaxLength(StoreAuditEntry.MaxDetailLength);
            // The audit log, newest first, of the program and of one connection.
            e.HasIndex(x => new { x.ProgramId, x.OccurredAt });
            e.HasIndex(x => new { x.ConnectionId, x.OccurredAt });
            e.HasOne<StoreConnection>().WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<StoreDelivery>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Platform).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Topic).HasMaxLength(StoreDelivery.MaxTopicLength);
            e.Property(x => x.DedupeKey).HasMaxLength(StoreDelivery.MaxKeyLength);
            e.Property(x => x.ExternalDeliveryId).HasMaxLength(100);
            e.Property(x => x.EventId).HasMaxLength(100);
            e.Property(x => x.ResourceId).HasMaxLength(100);
            e.Property(x => x.EmailHash).HasMaxLength(64);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Reason).HasMaxLength(StoreDelivery.MaxReasonLength);
            e.Property(x => x.Source).HasMaxLength(16);
            // Idempotency of the ingest: a replayed delivery finds its key taken (a concurrent one loses the insert).
            e.HasIndex(x => new { x.ConnectionId, x.DedupeKey }).IsUnique();
            // The processor's queue and the monitoring (a connection's deliveries, newest first; 24-hour counts).
            e.HasIndex(x => new { x.Status, x.ReceivedAt });
            e.HasIndex(x => new { x.ConnectionId, x.ReceivedAt });
            e.HasOne<StoreConnection>().WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<StoreCatalogItem>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.ExternalId).HasMaxLength(100);
            e.Property(x => x.ProductId).HasMaxLength(100);
            e.Property(x => x.Title).HasMaxLength(500);
            e.Property(x => x.VariantTitle).HasMaxLength(500);
            e.Property(x => x.Sku).HasMaxLength(200);
            e.Property(x => x.Price).HasPrecision(18, 4);
            e.HasIndex(x => new { x.ConnectionId, x.Kind, x.ExternalId }).IsUnique();
            e.HasOne<StoreConnection>().WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<StoreReconciliationState>(e =>
        {
            e.HasKey(x => x.ConnectionId);
            e.Property(x => x.LastError).HasMaxLength(StoreReconciliationState.MaxErrorLength);
            e.HasOne<StoreConnection>().WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Stores.Checkout.CheckoutDiscount>(Stores.Checkout.CheckoutDiscount.Configure);

        foreach (var type in b.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType)))
        {
            b.Entity(type.ClrType).HasQueryFilter(TenantFilter(type.ClrType));
            b.Entity(type.ClrType).HasOne(typeof(LoyaltyProgram)).WithMany().HasForeignKey(nameof(ITenantOwned.ProgramId)).OnDelete(DeleteBehavior.Restrict);
        }
    }

    private LambdaExpression TenantFilter(Type entity)
    {
        // e => e.ProgramId == this.CurrentProgramId
        var e = Expression.Parameter(entity, "e");
        var body = Expression.Equal(
            Expression.Property(e, nameof(ITenantOwned.ProgramId)),
            Expression.Property(Expression.Constant(this), nameof(CurrentProgramId)));
        return Expression.Lambda(body, e);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampTenant();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampTenant();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>New rows take the scope's program; no write may touch another program's row.</summary>
    private void StampTenant()
    {
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State == EntityState.Added && entry.Entity.ProgramId == Guid.Empty)
            {
                entry.Entity.ProgramId = tenant.ProgramId
                    ?? throw new InvalidOperationException($"Cannot add {entry.Entity.GetType().Name} without a program in scope.");
                continue;
            }
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && tenant.ProgramId is { } current && entry.Entity.ProgramId != current)
                throw new InvalidOperationException($"Cannot write a {entry.Entity.GetType().Name} of another program.");
        }
    }
}
