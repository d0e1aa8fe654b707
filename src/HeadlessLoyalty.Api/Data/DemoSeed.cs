using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tenancy;
using HeadlessLoyalty.Api.Tiers;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Data;

/// <summary>Section <c>Seed</c>. <c>Seed:Demo</c> defaults to true on the embedded SQLite database only.</summary>
public sealed class SeedOptions
{
    public bool? Demo { get; set; }
}

/// <summary>
/// The <c>demo</c> program the README's first query reads: three tiers and a few members whose balances are
/// exactly the sum of their ledger entries. Seeds once: an existing <c>demo</c> program is never touched.
/// </summary>
public sealed class DemoSeed(LoyaltyDbContext db, ProgramDirectory programs, TenantContext tenant, TimeProvider clock,
    IOptions<SeedOptions> options, DatabaseSettings settings, ILogger<DemoSeed> logger)
{
    public const string Slug = "demo";

    private sealed record SampleMember(string Email, string First, string Last, (LedgerEntryKind Kind, long Points, string Reason)[] Entries);

    private static readonly SampleMember[] Samples =
    [
        new("ada@example.com", "Ada", "Lovelace", [(LedgerEntryKind.Earn, 800, "Order #1001"), (LedgerEntryKind.Bonus, 400, "Welcome bonus")]),
        new("grace@example.com", "Grace", "Hopper", [(LedgerEntryKind.Earn, 5200, "Order #1002"), (LedgerEntryKind.Bonus, 400, "Welcome bonus"), (LedgerEntryKind.Redeem, -600, "$6 off coupon")]),
        new("linus@example.com", "Linus", "Torvalds", [(LedgerEntryKind.Earn, 150, "Order #1003")]),
    ];

    public async Task SeedIfEnabledAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.Demo ?? settings.Provider == DatabaseProvider.Sqlite)
            await SeedAsync(cancellationToken);
    }

    /// <returns>False when the demo program already exists (nothing changed).</returns>
    public async Task<bool> SeedAsync(CancellationToken cancellationToken = default)
    {
        if (await programs.FindAsync(Slug, cancellationToken) is not null)
            return false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var program = await programs.CreateAsync(Slug, "Demo Store", "USD", "UTC", cancellationToken);
        tenant.Set(program.Id);
        var now = clock.GetUtcNow();

        // The default tier policy: points earned in the calendar year, recomputed at its end.
        Tier[] tiers =
        [
            new() { Id = Guid.CreateVersion7(now), Name = "Bronze", Rank = 0, Threshold = 0, Description = "Where everyone starts." },
            new() { Id = Guid.CreateVersion7(now), Name = "Silver", Rank = 1, Threshold = 1000, EarningMultiplier = 1.25m, Description = "1,000 points earned in a calendar year." },
            new() { Id = Guid.CreateVersion7(now), Name = "Gold", Rank = 2, Threshold = 5000, EarningMultiplier = 1.5m, PosMultiplier = 2m, Description = "5,000 points earned in a calendar year; double points in store." },
        ];
        db.Tiers.AddRange(tiers);

        for (var i = 0; i < Samples.Length; i++)
            AddMember(Samples[i], number: i + 1, now.AddDays(-30 + i), tiers, now);

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Seeded the demo program with {Members} members", Samples.Length);
        return true;
    }

    private void AddMember(SampleMember sample, int number, DateTimeOffset enrolledAt, IReadOnlyList<Tier> tiers, DateTimeOffset now)
    {
        var member = new Member
        {
            Id = Guid.CreateVersion7(enrolledAt),
            Email = sample.Email,
            NormalizedEmail = Member.NormalizeEmail(sample.Email),
            FirstName = sample.First,
            LastName = sample.Last,
            MemberCode = $"DEMO{number:0000}",
            MemberNumber = number,
            EnrolledAt = enrolledAt,
            UpdatedAt = enrolledAt,
        };
        db.Members.Add(member);

        var balance = new PointsBalance { MemberId = member.Id, LastUpdatedAt = enrolledAt, Version = 1 };
        // Points earned this calendar year (a seed early in January still shows its tiers): never before 1 January.
        var year = TierPeriods.CalendarYear(now, TimeZoneInfo.Utc);
        var at = enrolledAt;
        var earned = 0L;
        foreach (var (kind, points, reason) in sample.Entries)
        {
            at = at.AddDays(1) < year.Start ? year.Start : at.AddDays(1);
            earned += points > 0 ? points : 0;
            db.LedgerEntries.Add(new LedgerEntry
            {
                Id = Guid.CreateVersion7(at), MemberId = member.Id, Kind = kind, Status = LedgerEntryStatus.Approved,
                Points = points, Reason = reason, Actor = "system:seed", OccurredAt = at, RecordedAt = at,
            });
            balance.Approved += points;
            if (points > 0) balance.Lifetime += points;
            if (kind == LedgerEntryKind.Redeem) balance.Spent += -points;
            balance.LastUpdatedAt = at;
        }
        db.Balances.Add(balance);

        // The tier the seeded points reach, as the write path would have recorded it.
        var ordered = TierRules.Ordered(tiers);
        if (TierRules.Qualified(ordered, earned) is { } tier && tier.Id != TierRules.Entry(ordered)?.Id)
        {
            var row = new MemberTier { MemberId = member.Id };
            TierMembership.Hold(row, ordered, tier, at, year);
            db.MemberTiers.Add(row);
        }
    }
}
