using System.Diagnostics;
using HeadlessLoyalty.Api.Data.Postgres;
using HeadlessLoyalty.Api.Expiry;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

// The expiry job (expire, then the 30/7/3-day warnings) of one program over BENCH_LOTS lots (default 1,000,000) of
// BENCH_MEMBERS members on PostgreSQL, through the app's own ExpiryOperations. Seeds a fresh database
// hl_bench_expiry_<time> on HL_TEST_POSTGRES (migrated like the app), prints the timings, checks the invariants and
// drops the database (BENCH_KEEP=1 keeps it).
var baseCs = Environment.GetEnvironmentVariable("HL_TEST_POSTGRES")
    ?? throw new InvalidOperationException("Set HL_TEST_POSTGRES (a role that may CREATE DATABASE).");
var lots = int.Parse(Environment.GetEnvironmentVariable("BENCH_LOTS") ?? "1000000");
var members = int.Parse(Environment.GetEnvironmentVariable("BENCH_MEMBERS") ?? "100000");
var cs = new NpgsqlConnectionStringBuilder(baseCs) { Database = $"hl_bench_expiry_{DateTime.UtcNow:yyyyMMddHHmmss}", CommandTimeout = 600 }.ConnectionString;
var now = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(1), TimeSpan.Zero);
var clock = new FixedTime(now);
var programId = Guid.CreateVersion7();
var total = Stopwatch.StartNew();

PostgresLoyaltyDbContext Context()
{
    var tenant = new TenantContext();
    tenant.Set(programId);
    return new PostgresLoyaltyDbContext(new DbContextOptionsBuilder<PostgresLoyaltyDbContext>().UseNpgsql(cs, o => o.CommandTimeout(600)).Options, tenant);
}

Console.WriteLine($"Expiry bench: {lots:N0} lots of {members:N0} members on PostgreSQL, now = {now:O}");
try
{
    await using (var db = Context())
        await db.Database.MigrateAsync();
    var seed = Stopwatch.StartNew();
    await SeedAsync();
    Console.WriteLine($"seed (COPY + INSERT ... SELECT + ANALYZE): {seed.Elapsed.TotalSeconds:F1} s");

    await using (var db = Context())
    {
        await ExpiryOperations.UpdatePolicyAsync(db, clock, new ExpirySettings(LotValidityMonths: 12, InactivityMonths: 7));
        var sw = Stopwatch.StartNew();
        var expired = await ExpiryOperations.ExpireAsync(db, clock);
        var expireTime = sw.Elapsed;
        sw.Restart();
        var warned = await ExpiryOperations.WarnAsync(db, clock);
        var warnTime = sw.Elapsed;
        sw.Restart();
        var rerun = await ExpiryOperations.RunAsync(db, clock);
        var rerunTime = sw.Elapsed;

        var lotsExpired = await db.LotAllocations.CountAsync();
        var events = await db.DomainEvents.GroupBy(e => e.Type).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Console.WriteLine($"expire:   {expireTime.TotalSeconds,6:F1} s  members {expired:N0}, lots {lotsExpired:N0}");
        Console.WriteLine($"warnings: {warnTime.TotalSeconds,6:F1} s  sent {warned:N0} ({string.Join(", ", events.Where(e => e.Key != "points.expired").OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Count:N0}"))})");
        Console.WriteLine($"job total (expire + warnings): {(expireTime + warnTime).TotalSeconds:F1} s (target < 60 s)");
        Console.WriteLine($"rerun:    {rerunTime.TotalSeconds,6:F1} s  changed {rerun} (idempotent: 0 expected)");

        // Invariants: every member's open lots add up to their approved points; no lot below zero.
        var mismatched = await db.Database.SqlQueryRaw<int>("""
            SELECT count(*)::int AS "Value" FROM "Balances" b
            LEFT JOIN (SELECT "MemberId", sum("Remaining") AS r FROM "PointsLots" GROUP BY "MemberId") l ON l."MemberId" = b."MemberId"
            WHERE b."Approved" <> COALESCE(l.r, 0)
            """).SingleAsync();
        var negative = await db.PointsLots.CountAsync(l => l.Remaining < 0);
        Console.WriteLine($"check: balances not equal to their lots {mismatched}, lots below zero {negative}, rerun {rerun}");
        if (mismatched != 0 || negative != 0 || rerun != 0)
            Environment.ExitCode = 1;
    }
}
finally
{
    if (Environment.GetEnvironmentVariable("BENCH_KEEP") != "1")
    {
        NpgsqlConnection.ClearAllPools();
        await using var db = Context();
        await db.Database.EnsureDeletedAsync();
    }
    Console.WriteLine($"total wall time: {total.Elapsed.TotalSeconds:F1} s");
}

// Members (10% idle: their lots are all 8 to 15 months old, so the 7-month inactivity policy lapses them whole; the
// others earned over the last 15 months, so a 12-month validity lapses a fifth of their lots and warns about the
// next month's), each lot untouched (remaining = points), balances = their lots.
async Task SeedAsync()
{
    await using var connection = new NpgsqlConnection(cs);
    await connection.OpenAsync();
    async Task Exec(string sql, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        for (var i = 0; i < args.Length; i++)
            command.Parameters.AddWithValue($"p{i}", args[i]);
        await command.ExecuteNonQueryAsync();
    }
    await Exec("""INSERT INTO "Programs" ("Id", "Slug", "Name", "Currency", "TimeZone", "CreatedAt") VALUES (@p0, 'bench-expiry', 'Bench', 'USD', 'UTC', @p1)""", programId, now);
    await Exec("""
        INSERT INTO "Members" ("Id", "ProgramId", "Email", "NormalizedEmail", "MemberCode", "MemberNumber", "Status", "EnrolledAt", "UpdatedAt", "Version")
        SELECT md5('member' || i)::uuid, @p0, 'm' || i || '@example.com', 'm' || i || '@example.com', 'C' || i, i, 'Active', @p1, @p1, 0
        FROM generate_series(1, @p2) AS i
        """, programId, now.AddMonths(-16), members);

    var ids = new Guid[members];
    await using (var read = new NpgsqlCommand("""SELECT "Id" FROM "Members" ORDER BY "MemberNumber" """, connection))
    await using (var reader = await read.ExecuteReaderAsync())
        for (var i = 0; await reader.ReadAsync(); i++)
            ids[i] = reader.GetGuid(0);

    var random = new Random(42);
    await using (var writer = await connection.BeginBinaryImportAsync(
        """COPY "PointsLots" ("Id", "ProgramId", "MemberId", "EntryId", "EarnedAt", "ExpiresAt", "Points", "DebtRepaid", "Remaining") FROM STDIN (FORMAT BINARY)"""))
    {
        for (var i = 0; i < lots; i++)
        {
            var member = i % members;
            var idle = member % 10 == 0;
            var ageDays = idle ? 243 + random.NextDouble() * 213 : random.NextDouble() * 456;
            var earned = now.AddDays(-ageDays);
            var points = random.Next(1, 500);
            await writer.StartRowAsync();
            await writer.WriteAsync(Guid.CreateVersion7(earned), NpgsqlDbType.Uuid);
            await writer.WriteAsync(programId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(ids[member], NpgsqlDbType.Uuid);
            await writer.WriteNullAsync();
            await writer.WriteAsync(earned, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(ExpiryRules.LotExpiresAt(earned, 12, TimeZoneInfo.Utc)!.Value, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync((long)points, NpgsqlDbType.Bigint);
            await writer.WriteAsync(0L, NpgsqlDbType.Bigint);
            await writer.WriteAsync((long)points, NpgsqlDbType.Bigint);
        }
        await writer.CompleteAsync();
    }
    await Exec("""
        INSERT INTO "Balances" ("MemberId", "ProgramId", "Approved", "Pending", "Spent", "Expired", "Lifetime", "LastUpdatedAt", "LastActivityAt", "Version")
        SELECT m."Id", @p0, COALESCE(l.total, 0), 0, 0, 0, COALESCE(l.total, 0), @p1, l.last, 0
        FROM "Members" m LEFT JOIN (SELECT "MemberId", sum("Points") AS total, max("EarnedAt") AS last FROM "PointsLots" GROUP BY "MemberId") l ON l."MemberId" = m."Id"
        """, programId, now);
    await Exec("ANALYZE");
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
