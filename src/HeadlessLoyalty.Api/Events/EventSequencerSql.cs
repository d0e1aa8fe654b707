using HeadlessLoyalty.Api.Data;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// The sequencer's SQL per provider, in one place (EF LINQ cannot express an UPDATE numbered by ROW_NUMBER). Each
/// pass runs, in one transaction: <see cref="Lock"/> (one sequencer at a time), <see cref="Head"/> (the highest
/// position), then <see cref="Assign"/> with <c>@head</c> and <c>@batch</c>: the oldest <c>@batch</c> unpositioned
/// events, in (RecordedAt, Id) order, become <c>@head + 1 ... @head + n</c>.
/// </summary>
internal static class EventSequencerSql
{
    /// <summary>An arbitrary constant: the advisory lock key of the sequencer on PostgreSQL ("HLEVSEQ1").</summary>
    internal const long PostgresLockKey = 0x484C45565345_5131;

    /// <summary>
    /// PostgreSQL: a transaction-scoped advisory lock (released at commit or rollback). The next statement takes a
    /// new snapshot (READ COMMITTED), so it sees everything the previous sequencer committed.
    /// SQL Server: an application lock owned by the transaction. SQLite: none: the transaction is BEGIN IMMEDIATE,
    /// which already holds the database's single write lock.
    /// </summary>
    public static string? Lock(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Postgres => $"SELECT pg_advisory_xact_lock({PostgresLockKey})",
        DatabaseProvider.SqlServer =>
            "DECLARE @granted int; " +
            "EXEC @granted = sp_getapplock @Resource = N'HeadlessLoyalty.EventSequencer', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000; " +
            "IF @granted < 0 THROW 51000, N'The event sequencer lock was not granted.', 1;",
        _ => null,
    };

    public static string Head(DatabaseProvider provider) => provider == DatabaseProvider.SqlServer
        ? "SELECT ISNULL(MAX([Position]), 0) FROM [DomainEvents]"
        : """SELECT COALESCE(MAX("Position"), 0) FROM "DomainEvents" """;

    /// <summary>One query for the idle poll: the head, and whether anything waits for a position (1 or 0).</summary>
    public static string Peek(DatabaseProvider provider) => provider == DatabaseProvider.SqlServer
        ? "SELECT (SELECT ISNULL(MAX([Position]), 0) FROM [DomainEvents]), CASE WHEN EXISTS (SELECT 1 FROM [DomainEvents] WHERE [Position] IS NULL) THEN 1 ELSE 0 END"
        : """SELECT COALESCE(MAX("Position"), 0), CASE WHEN EXISTS (SELECT 1 FROM "DomainEvents" WHERE "Position" IS NULL) THEN 1 ELSE 0 END FROM "DomainEvents" """;

    public static string Assign(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.SqlServer =>
            """
            WITH b AS (
                SELECT TOP (@batch) [Id], ROW_NUMBER() OVER (ORDER BY [RecordedAt], [Id]) AS rn
                FROM [DomainEvents] WHERE [Position] IS NULL ORDER BY [RecordedAt], [Id])
            UPDATE d SET [Position] = @head + b.rn FROM [DomainEvents] AS d INNER JOIN b ON d.[Id] = b.[Id]
            """,
        DatabaseProvider.Postgres =>
            """
            UPDATE "DomainEvents" AS d SET "Position" = @head + b.rn
            FROM (SELECT "Id", ROW_NUMBER() OVER (ORDER BY "RecordedAt", "Id") AS rn
                  FROM "DomainEvents" WHERE "Position" IS NULL ORDER BY "RecordedAt", "Id" LIMIT @batch) AS b
            WHERE d."Id" = b."Id"
            """,
        _ =>
            """
            UPDATE "DomainEvents" SET "Position" = @head + b.rn
            FROM (SELECT "Id", ROW_NUMBER() OVER (ORDER BY "RecordedAt", "Id") AS rn
                  FROM "DomainEvents" WHERE "Position" IS NULL ORDER BY "RecordedAt", "Id" LIMIT @batch) AS b
            WHERE "DomainEvents"."Id" = b."Id"
            """,
    };
}
