using HeadlessLoyalty.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace HeadlessLoyalty.Api.Tenancy;

/// <summary>What a token's <c>program</c> claim resolves to.</summary>
public sealed record ProgramRef(Guid Id, string Slug);

public sealed class ProgramException(ProgramError error) : Exception(error.Message)
{
    public ProgramError Error => error;
}

/// <summary>
/// The operator-level view of programs (programs are not tenant-owned rows). Slug lookups are cached because
/// every authenticated request makes one; programs are never renamed or deleted through the API, so a
/// short-lived cache cannot serve a stale id.
/// </summary>
public sealed class ProgramDirectory(LoyaltyDbContext db, IMemoryCache cache, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    public async Task<ProgramRef?> FindAsync(string slug, CancellationToken cancellationToken = default)
    {
        var key = $"program:{slug}";
        if (cache.TryGetValue(key, out ProgramRef? cached))
            return cached;
        var found = await db.Programs.AsNoTracking().Where(p => p.Slug == slug)
            .Select(p => new ProgramRef(p.Id, p.Slug)).SingleOrDefaultAsync(cancellationToken);
        // Misses are not cached: a program created a moment ago must be usable at once.
        if (found is not null)
            cache.Set(key, found, CacheFor);
        return found;
    }

    public Task<List<LoyaltyProgram>> ListAsync(CancellationToken cancellationToken = default) =>
        db.Programs.AsNoTracking().OrderBy(p => p.Slug).ToListAsync(cancellationToken);

    /// <exception cref="ProgramException">INVALID_* when the definition is refused, SLUG_TAKEN when the slug exists.</exception>
    public async Task<LoyaltyProgram> CreateAsync(string slug, string name, string currency, string timeZone = "UTC",
        CancellationToken cancellationToken = default)
    {
        if (ProgramRules.Validate(slug, name, currency, timeZone) is { } error)
            throw new ProgramException(error);
        if (await db.Programs.AnyAsync(p => p.Slug == slug, cancellationToken))
            throw new ProgramException(new("SLUG_TAKEN", $"A program with slug '{slug}' already exists."));
        var program = new LoyaltyProgram
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            Slug = slug,
            Name = name.Trim(),
            Currency = currency,
            TimeZone = timeZone,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Programs.Add(program);
        await db.SaveChangesAsync(cancellationToken);
        return program;
    }
}
