using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Webhooks;

public sealed record CreateWebhookInput(string Url, IReadOnlyList<string>? Types, string? Description);

/// <summary>Null fields stay as they are; an empty <c>Types</c> list means every type.</summary>
public sealed record UpdateWebhookInput(Guid Id, string? Url, IReadOnlyList<string>? Types, string? Description);

/// <summary>A subscription with its signing secret: only create and rotate return one, and only that once.</summary>
public sealed record WebhookWithSecret(WebhookSubscription Subscription, string Secret);

/// <summary>The admin's operations on a program's webhook subscriptions (the request's tenant-filtered context).</summary>
public static class WebhookOperations
{
    /// <summary>At most this many subscriptions per program: each one is a delivery stream the dispatcher keeps up.</summary>
    public const int MaxSubscriptionsPerProgram = 50;

    public static async Task<WebhookWithSecret> CreateAsync(LoyaltyDbContext db, TimeProvider clock, WebhookSecrets secrets, bool allowLoopback,
        CreateWebhookInput input, CancellationToken ct = default)
    {
        var uri = WebhookUrlGuard.Validate(input.Url, allowLoopback);
        var types = ValidTypes(input.Types);
        var description = ValidDescription(input.Description);
        if (await db.WebhookSubscriptions.CountAsync(ct) >= MaxSubscriptionsPerProgram)
            throw new InvalidInputException("url", $"A program has at most {MaxSubscriptionsPerProgram} webhook subscriptions.");
        var now = clock.GetUtcNow();
        var secret = WebhookSignature.NewSecret();
        var sub = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(now),
            Url = uri.AbsoluteUri,
            Types = types,
            Description = description,
            ProtectedSecret = secrets.Protect(secret),
            Status = WebhookStatus.Active,
            // From now on: the log's head at creation, no back-fill of older events.
            Cursor = await EventLog.HeadAsync(db, ct),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookSubscriptions.Add(sub);
        await db.SaveChangesAsync(ct);
        return new(sub, secret);
    }

    public static Task<WebhookSubscription> UpdateAsync(LoyaltyDbContext db, TimeProvider clock, bool allowLoopback, UpdateWebhookInput input, CancellationToken ct = default)
    {
        var url = input.Url is null ? null : WebhookUrlGuard.Validate(input.Url, allowLoopback).AbsoluteUri;
        var types = input.Types is null ? null : ValidTypes(input.Types);
        var description = input.Description is null ? null : ValidDescription(input.Description);
        return ChangeAsync(db, clock, input.Id, sub =>
        {
            sub.Url = url ?? sub.Url;
            sub.Types = types ?? sub.Types;
            if (input.Description is not null)
                sub.Description = description;
        }, ct);
    }

    /// <summary>Active again: the failure count is cleared and the event after the cursor (the one it failed on) is attempted at once.</summary>
    public static Task<WebhookSubscription> EnableAsync(LoyaltyDbContext db, TimeProvider clock, Guid id, CancellationToken ct = default) =>
        ChangeAsync(db, clock, id, sub =>
        {
            sub.Status = WebhookStatus.Active;
            sub.DisabledReason = null;
            sub.DisabledAt = null;
            sub.ConsecutiveFailures = 0;
            sub.NextAttemptAt = null;
        }, ct);

    /// <summary>A new secret, effective for the next delivery; the old one stops signing at once.</summary>
    public static async Task<WebhookWithSecret> RotateSecretAsync(LoyaltyDbContext db, TimeProvider clock, WebhookSecrets secrets, Guid id, CancellationToken ct = default)
    {
        var secret = WebhookSignature.NewSecret();
        var sub = await ChangeAsync(db, clock, id, s => s.ProtectedSecret = secrets.Protect(secret), ct);
        return new(sub, secret);
    }

    /// <summary>Deletes the subscription and its delivery log.</summary>
    public static Task<Guid> DeleteAsync(LoyaltyDbContext db, Guid id, CancellationToken ct = default) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            var sub = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, token) ?? throw new WebhookSubscriptionNotFoundException();
            await db.WebhookDeliveries.Where(d => d.SubscriptionId == id).ExecuteDeleteAsync(token);
            db.WebhookSubscriptions.Remove(sub);
            return id;
        }, ct);

    public static async Task<IReadOnlyList<WebhookSubscription>> ListAsync(LoyaltyDbContext db, CancellationToken ct = default) =>
        await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(ct);

    /// <summary>A subscription's delivery log, newest first; null when the program has no such subscription.</summary>
    public static async Task<IQueryable<WebhookDelivery>?> DeliveriesAsync(LoyaltyDbContext db, Guid subscriptionId, CancellationToken ct = default) =>
        await db.WebhookSubscriptions.AnyAsync(s => s.Id == subscriptionId, ct)
            ? db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId).OrderByDescending(d => d.AttemptedAt).ThenByDescending(d => d.Id)
            : null;

    public static async Task<WebhookDelivery> FindDeliveryAsync(LoyaltyDbContext db, Guid deliveryId, CancellationToken ct = default) =>
        await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, ct) ?? throw new WebhookDeliveryNotFoundException();

    private static Task<WebhookSubscription> ChangeAsync(LoyaltyDbContext db, TimeProvider clock, Guid id, Action<WebhookSubscription> change, CancellationToken ct) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            var sub = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, token) ?? throw new WebhookSubscriptionNotFoundException();
            change(sub);
            sub.UpdatedAt = clock.GetUtcNow();
            sub.Version++;
            return sub;
        }, ct);

    /// <summary>The catalog's names, deduplicated and joined; none (null or empty) means every type.</summary>
    private static string ValidTypes(IReadOnlyList<string>? types)
    {
        if (types is null || types.Count == 0)
            return "";
        var unknown = types.Where(t => !EventTypes.All.Contains(t)).ToList();
        if (unknown.Count > 0)
            throw new InvalidInputException("types", $"Unknown event type(s): {string.Join(", ", unknown)} (the README lists the catalog).");
        return string.Join(',', EventTypes.All.Where(types.Contains));
    }

    private static string? ValidDescription(string? description)
    {
        var trimmed = description?.Trim();
        if (trimmed is { Length: > WebhookSubscription.MaxDescriptionLength })
            throw new InvalidInputException("description", $"A description has at most {WebhookSubscription.MaxDescriptionLength} characters.");
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
