using HeadlessLoyalty.Api.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HeadlessLoyalty.Api.Common;

/// <summary>
/// Runs one write as a transaction with optimistic retries. An attempt loads, applies a pure rule and stages
/// changes; this saves and commits. A lost race (a stale <c>Version</c> concurrency token, or a unique index hit
/// by a concurrent insert: member number, email, idempotency key) rolls back and runs the attempt again on fresh
/// data, at most <see cref="MaxAttempts"/> times. Optimistic retry was chosen over a conditional UPDATE so every
/// decision stays in the pure rules and works the same on SQLite, PostgreSQL and SQL Server; a loser only retries
/// when someone else committed, so the total work is bounded by the number of successful writes.
/// </summary>
public static class WriteTransaction
{
    public const int MaxAttempts = 60;

    public static Task<T> RunAsync<T>(LoyaltyDbContext db, Func<CancellationToken, Task<T>> attempt, CancellationToken ct = default) =>
        // Inside the provider's execution strategy, so a retrying strategy (if configured) accepts the user transaction.
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            for (var n = 1; ; n++)
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(token);
                try
                {
                    var result = await attempt(token);
                    await db.SaveChangesAsync(token);
                    await tx.CommitAsync(token);
                    return result;
                }
                catch (DbUpdateException ex) when (IsLostRace(ex))
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    if (n >= MaxAttempts)
                        throw new ConcurrencyConflictException();
                    // Jitter so the losers of one round do not collide again in lockstep.
                    await Task.Delay(Random.Shared.Next(0, Math.Min(n, 10) * 3), token);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
        }, ct);

    internal static bool IsLostRace(DbUpdateException ex) => ex is DbUpdateConcurrencyException || IsUniqueViolation(ex);

    internal static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        // 2067 SQLITE_CONSTRAINT_UNIQUE, 1555 SQLITE_CONSTRAINT_PRIMARYKEY
        SqliteException lite => lite.SqliteErrorCode == 19 && lite.SqliteExtendedErrorCode is 2067 or 1555,
        Microsoft.Data.SqlClient.SqlException sql => sql.Number is 2627 or 2601,
        _ => false,
    };
}
