using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Idempotency;

/// <summary>
/// The first result of a retryable mutation, keyed by (program, operation, key). A replay with the same request
/// hash returns <see cref="ResponseJson"/>; a different hash is refused with IDEMPOTENCY_KEY_REUSED.
/// </summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public Guid ProgramId { get; set; }
    public required string Operation { get; init; }
    public required string Key { get; init; }
    /// <summary>SHA-256 (hex) of the canonical input.</summary>
    public required string RequestHash { get; init; }
    public required string ResponseJson { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
