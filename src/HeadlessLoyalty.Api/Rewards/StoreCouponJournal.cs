using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Rewards;

/// <summary>
/// A store coupon about to be created for a redemption, written (and committed) BEFORE the store is called. It is
/// deleted in the redemption's own transaction, so a row that outlives <see cref="StoreCouponJournal"/>'s grace names a
/// redemption that never committed, whose coupon may still be on the store (the process died between the store's
/// answer and the commit, or the answer was lost). <see cref="StoreCouponJournal.RecoverAsync"/> removes it there.
/// </summary>
public sealed class StoreCouponIntent : ITenantOwned
{
    public const int MaxTargetLength = 200;
    public const int MaxErrorLength = 1000;

    public required Guid Id { get; init; }
    public Guid ProgramId { get; set; }
    public required Guid MemberId { get; init; }
    public required string Code { get; init; }
    /// <summary>The store it goes to (<see cref="IStoreCoupons.TargetAsync"/>).</summary>
    public required string Target { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Recovery gave the redemption up: a late attempt to commit it fails (STORE_COUPON_FAILED) instead of issuing a coupon the store no longer has.</summary>
    public bool Abandoned { get; set; }
    /// <summary>Failed recovery attempts (the store could not be reached); the next run tries again.</summary>
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public long Version { get; set; }
}

/// <summary>
/// One redemption's store coupon: its code and store, chosen before the transaction, shared by all the attempts of the
/// transaction (a retried attempt reuses the coupon an earlier one created instead of creating another).
/// </summary>
public sealed class StoreCouponReservation
{
    private readonly IStoreCoupons _stores;
    private StoreCoupon? _created;

    internal StoreCouponReservation(IStoreCoupons stores, string code, string? target, Guid? intentId)
    {
        _stores = stores;
        Code = code;
        Target = target;
        IntentId = intentId;
    }

    /// <summary>The coupon code every attempt uses.</summary>
    public string Code { get; }
    /// <summary>The store, or null: the coupon lives in the program only.</summary>
    public string? Target { get; }
    internal Guid? IntentId { get; }
    /// <summary>The id the store gave the coupon, once it answered.</summary>
    public string? StoreCouponId { get; private set; }
    /// <summary>The store was asked to create it (its answer may have been lost).</summary>
    internal bool CreateAttempted { get; private set; }

    /// <summary>
    /// Inside the redemption's attempt, after the points are staged: creates the coupon on the store (once per
    /// reservation) and stages the removal of its journal row, which commits with the redemption. Null when there is
    /// no store. A reservation recovery gave up on is refused with STORE_COUPON_FAILED (nothing deducted).
    /// </summary>
    public async Task<string?> CreateAsync(LoyaltyDbContext db, StoreCoupon coupon, CancellationToken ct)
    {
        if (Target is null)
            return null;
        // Write the row first: it stays locked until the transaction ends (PostgreSQL and SQL Server row lock; SQLite's
        // transaction holds the database), so recovery cannot abandon it while the store call is in flight: it waits,
        // then finds the row gone (committed) or finds a coupon on the store to delete (rolled back).
        var locked = await db.StoreCouponIntents.Where(i => i.Id == IntentId && !i.Abandoned)
            .ExecuteUpdateAsync(x => x.SetProperty(i => i.Version, i => i.Version + 1), ct);
        var intent = locked == 1 ? await db.StoreCouponIntents.FirstOrDefaultAsync(i => i.Id == IntentId, ct) : null;
        if (intent is null)
            throw new StoreCouponFailedException("the redemption took so long that store-coupon-recovery gave it up; try again");
        CreateAttempted = true;
        StoreCouponId = await _stores.CreateAsync(Target, coupon, StoreCouponId, ct);
        _created = coupon;
        db.StoreCouponIntents.Remove(intent);
        return StoreCouponId;
    }

    /// <summary>
    /// After a redemption that did not commit this reservation's coupon (refused, failed, or an idempotent replay that
    /// returned an earlier result): removes the store coupon and the journal row. What cannot be settled here (the
    /// store's answer was lost, or the delete failed) stays in the journal for <see cref="StoreCouponJournal.RecoverAsync"/>.
    /// Never throws.
    /// </summary>
    public async Task ReleaseAsync(LoyaltyDbContext db, ILogger log)
    {
        if (IntentId is not { } id)
            return;
        var ct = CancellationToken.None;
        try
        {
            db.ChangeTracker.Clear();
            // Committed after all (the failure came after the commit): the journal row went with the commit.
            if (await db.Coupons.AsNoTracking().AnyAsync(c => c.Code == Code, ct))
                return;
            if (!CreateAttempted)
            {
                await db.StoreCouponIntents.Where(i => i.Id == id && !i.Abandoned).ExecuteDeleteAsync(ct);
                return;
            }
            if (StoreCouponId is null || _created is null)
            {
                await NoteAsync(db, id, "The store's answer to the create was lost: store-coupon-recovery checks the store for the code.", ct);
                return;
            }
            try
            {
                await _stores.DeleteAsync(_created, StoreCouponId, ct);
            }
            catch (Exception e)
            {
                log.LogWarning("The store coupon {Code} of a redemption that did not commit could not be deleted ({Reason}); store-coupon-recovery retries.", Code, e.Message);
                await NoteAsync(db, id, $"Delete after the redemption did not commit failed: {e.Message}", ct);
                return;
            }
            await db.StoreCouponIntents.Where(i => i.Id == id && !i.Abandoned).ExecuteDeleteAsync(ct);
        }
        catch (Exception e)
        {
            // The journal row stays: recovery settles it.
            log.LogWarning(e, "Releasing the store coupon reservation {Code} failed; store-coupon-recovery settles it.", Code);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static Task NoteAsync(LoyaltyDbContext db, Guid id, string error, CancellationToken ct) =>
        db.StoreCouponIntents.Where(i => i.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.LastError, StoreCouponJournal.Truncate(error)), ct);
}

/// <summary>
/// The write-ahead journal that keeps a crash from leaving a free coupon on a store. A redemption with a store
/// (<see cref="IStoreCoupons"/>):
/// <list type="number">
/// <item><see cref="ReserveAsync"/>, before its transaction: draws the code, asks the store seam for the target, and
/// commits a <see cref="StoreCouponIntent"/> (code, target, member).</item>
/// <item>In the transaction: <see cref="StoreCouponReservation.CreateAsync"/> creates the coupon on the store and deletes
/// the intent, so the intent disappears exactly when the redemption commits.</item>
/// <item>Not committed: <see cref="StoreCouponReservation.ReleaseAsync"/> deletes the store coupon and the intent.</item>
/// <item>Whatever is left (the process died, the store's answer or the delete failed): <see cref="RecoverAsync"/>, the
/// <c>store-coupon-recovery</c> job, takes intents older than the grace, marks them abandoned (a redemption still
/// running then fails instead of committing) and deletes the code on the store.</item>
/// </list>
/// </summary>
public static class StoreCouponJournal
{
    public const string JobName = "store-coupon-recovery";
    public const int RecoveryBatch = 200;

    /// <summary>
    /// Reserves a coupon code of <paramref name="prefix"/> for a redemption of <paramref name="memberId"/>: a code no
    /// coupon and no other reservation of the program has, and (when the member has a store) the committed intent.
    /// The store seam's refusals to route (STORE_NOT_RESOLVED) come from here, before anything changed.
    /// </summary>
    public static async Task<StoreCouponReservation> ReserveAsync(
        LoyaltyDbContext db, TimeProvider clock, IStoreCoupons stores, Guid memberId, string prefix, CancellationToken ct)
    {
        var target = await stores.TargetAsync(memberId, ct);
        if (target is { Length: > StoreCouponIntent.MaxTargetLength })
            throw new InvalidOperationException($"A store target is at most {StoreCouponIntent.MaxTargetLength} characters.");
        for (var n = 1; ; n++)
        {
            var code = await RewardOperations.NewCouponCodeAsync(db, prefix, ct);
            if (target is null)
                return new StoreCouponReservation(stores, code, null, null);
            var now = clock.GetUtcNow();
            var intent = new StoreCouponIntent { Id = Guid.CreateVersion7(now), MemberId = memberId, Code = code, Target = target, CreatedAt = now };
            db.ChangeTracker.Clear();
            db.StoreCouponIntents.Add(intent);
            try
            {
                await db.SaveChangesAsync(ct);
                return new StoreCouponReservation(stores, code, target, intent.Id);
            }
            catch (DbUpdateException e) when (WriteTransaction.IsUniqueViolation(e) && n < 5)
            {
                // The same code drawn by a concurrent reservation: draw again.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="redeem"/> with a reservation and releases the reservation unless the result carries its code
    /// (<paramref name="codeOf"/>): the one way redemptions use the journal.
    /// </summary>
    public static async Task<T> RunAsync<T>(
        LoyaltyDbContext db, TimeProvider clock, IStoreCoupons stores, Guid memberId, string prefix, ILogger log,
        Func<StoreCouponReservation, Task<T>> redeem, Func<T, string> codeOf, CancellationToken ct)
    {
        var reservation = await ReserveAsync(db, clock, stores, memberId, prefix, ct);
        var committed = false;
        try
        {
            var result = await redeem(reservation);
            committed = codeOf(result) == reservation.Code;
            return result;
        }
        finally
        {
            if (!committed)
                await reservation.ReleaseAsync(db, log);
        }
    }

    /// <summary>
    /// Settles the program's intents older than <paramref name="grace"/> (at most <see cref="RecoveryBatch"/> a run):
    /// one whose coupon committed is dropped; any other is marked abandoned first (so the redemption, if somehow still
    /// running, cannot commit it any more), then its code is deleted on the store and the intent dropped. A store that
    /// cannot be reached keeps the intent (attempts and last error recorded) for the next run. Returns the coupons
    /// found and deleted on stores.
    /// </summary>
    public static async Task<int> RecoverAsync(LoyaltyDbContext db, TimeProvider clock, IStoreCoupons stores, TimeSpan grace, ILogger log, CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow() - grace;
        // Fewest failed attempts first: a store that keeps failing cannot hold back the others' orphans.
        var due = await db.StoreCouponIntents.AsNoTracking().Where(i => i.CreatedAt <= cutoff)
            .OrderBy(i => i.Attempts).ThenBy(i => i.CreatedAt).Select(i => i.Id).Take(RecoveryBatch).ToListAsync(ct);
        var deleted = 0;
        foreach (var id in due)
        {
            db.ChangeTracker.Clear();
            var intent = await db.StoreCouponIntents.FirstOrDefaultAsync(i => i.Id == id, ct);
            if (intent is null)
                continue;
            if (await db.Coupons.AsNoTracking().AnyAsync(c => c.Code == intent.Code, ct))
            {
                db.StoreCouponIntents.Remove(intent);
                await SaveUnlessLostAsync(db, ct);
                continue;
            }
            if (!intent.Abandoned)
            {
                intent.Abandoned = true;
                intent.Version++;
                // The redemption committed (deleting the row) in the meantime: nothing to recover.
                if (!await SaveUnlessLostAsync(db, ct))
                    continue;
            }
            string? error = null;
            var found = false;
            try
            {
                found = await stores.DeleteByCodeAsync(intent.Target, intent.Code, intent.MemberId, ct);
            }
            catch (LoyaltyException e)
            {
                error = Truncate($"{e.Code}: {e.Message}");
                log.LogWarning("Could not settle the store coupon {Code} of a redemption that never committed: {Reason}; the next run tries again.", intent.Code, e.Message);
            }
            db.ChangeTracker.Clear();
            if (error is null)
            {
                db.StoreCouponIntents.Remove(intent);
                if (found)
                {
                    deleted++;
                    log.LogWarning("Deleted the store coupon {Code} of a redemption that never committed (reserved {CreatedAt:O}).", intent.Code, intent.CreatedAt);
                }
            }
            else
            {
                db.StoreCouponIntents.Attach(intent);
                intent.Attempts++;
                intent.LastError = error;
                intent.Version++;
            }
            await SaveUnlessLostAsync(db, ct);
        }
        db.ChangeTracker.Clear();
        return deleted;
    }

    private static async Task<bool> SaveUnlessLostAsync(LoyaltyDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    internal static string Truncate(string text) => text.Length <= StoreCouponIntent.MaxErrorLength ? text : text[..StoreCouponIntent.MaxErrorLength];
}
