using System.Data.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace HeadlessLoyalty.Api.Expiry;

/// <summary>
/// The set-based statements of the expiry run, per provider: a handful of statements per program, whatever the
/// number of lots or members (no loop over rows). EF cannot express INSERT ... SELECT, so this is raw SQL; the
/// statements share their shape and differ only in the pieces of <see cref="Dialect"/> (temp tables, row locks,
/// ids, JSON). Run inside the caller's transaction.
/// <para>Concurrency. Member writes are optimistic (the balance <c>Version</c>, <see cref="Common.WriteTransaction"/>).
/// PostgreSQL and SQL Server: the run first locks the due lots and their members' balances, skipping rows a writer
/// holds (SKIP LOCKED / READPAST) - those members wait for the next run - so the run never waits on a writer and
/// cannot deadlock with one; it then bumps the Version of every balance it changes, so a writer that read before the
/// run fails its save and retries on the new numbers. SQLite has one writer at a time: the run's transaction
/// (BEGIN IMMEDIATE) holds the database.</para>
/// </summary>
internal static class ExpirySql
{
    public const string Actor = "system:expiry";
    public const string Reason = "Points expired";

    /// <summary>
    /// Expires every open lot whose date has come, or whose member has been inactive since before
    /// <paramref name="inactiveBefore"/> (their last activity, or the lot's earning when they never had any): one
    /// Expire entry and one points.expired event per member, an allocation per lot, balances moved. Returns the members.
    /// </summary>
    public static async Task<int> ExpireAsync(LoyaltyDbContext db, DateTimeOffset now, DateTimeOffset? inactiveBefore, CancellationToken ct)
    {
        var d = Dialect.Of(db);
        var lots = d.Temp("hl_expiring");
        var members = d.Temp("hl_expiring_members");
        string[] statements =
        [
            .. d.DropTemp(lots), .. d.DropTemp(members),
            d.CreateTemp(lots, $"lot_id {d.Uuid} PRIMARY KEY, member_id {d.Uuid} NOT NULL, points {d.Long} NOT NULL"),
            d.CreateTemp(members, $"member_id {d.Uuid} PRIMARY KEY, points {d.Long} NOT NULL, entry_id {d.Uuid} NOT NULL, event_id {d.Uuid} NOT NULL"),
            $"""
            INSERT INTO {lots} (lot_id, member_id, points)
            SELECT l."Id", l."MemberId", l."Remaining"
            FROM "PointsLots" l{d.LockHint} JOIN "Balances" b{d.LockHint} ON b."MemberId" = l."MemberId"
            WHERE l."ProgramId" = @program AND l."Remaining" > 0
              AND (l."ExpiresAt" <= @now OR COALESCE(b."LastActivityAt", l."EarnedAt") < @inactiveBefore){d.LockTail}
            """,
            $"""
            INSERT INTO {members} (member_id, points, entry_id, event_id)
            SELECT member_id, SUM(points), {d.NewId}, {d.NewId} FROM {lots} GROUP BY member_id
            """,
            $"""
            INSERT INTO "LedgerEntries" ("Id", "ProgramId", "MemberId", "Kind", "Status", "Points", "Reason", "Actor", "SourceReference", "IdempotencyKey", "OccurredAt", "RecordedAt")
            SELECT entry_id, @program, member_id, 'Expire', 'Approved', -points, '{Reason}', '{Actor}', NULL, NULL, @now, @now FROM {members}
            """,
            $"""
            INSERT INTO "LotAllocations" ("Id", "ProgramId", "LotId", "EntryId", "MemberId", "Points", "RecordedAt")
            SELECT {d.NewId}, @program, e.lot_id, m.entry_id, e.member_id, e.points, @now
            FROM {lots} e JOIN {members} m ON m.member_id = e.member_id
            """,
            d.UpdateFrom("\"PointsLots\"", "t", "\"Remaining\" = 0", $"{lots} x", "t.\"Id\" = x.lot_id"),
            d.UpdateFrom("\"Balances\"", "t",
                "\"Approved\" = t.\"Approved\" - x.points, \"Expired\" = t.\"Expired\" + x.points, \"LastUpdatedAt\" = @now, \"Version\" = t.\"Version\" + 1",
                $"{members} x", "t.\"MemberId\" = x.member_id"),
            $"""
            INSERT INTO "DomainEvents" ("Id", "ProgramId", "Type", "MemberId", "OccurredAt", "RecordedAt", "Payload", "Position")
            SELECT x.event_id, @program, '{EventTypes.PointsExpired}', x.member_id, @now, @now,
                   {d.Json(("memberId", "x.member_id", JsonKind.Uuid), ("email", "mb.\"Email\"", JsonKind.Text), ("points", "x.points", JsonKind.Number),
                       ("balanceAfter", "b.\"Approved\"", JsonKind.Number), ("expiredAt", "@nowText", JsonKind.Text))}, NULL
            FROM {members} x JOIN "Members" mb ON mb."Id" = x.member_id JOIN "Balances" b ON b."MemberId" = x.member_id
            """,
        ];
        var count = await ExecuteAsync(db, d, statements, $"SELECT COUNT(*) FROM {members}", new()
        {
            ["program"] = db.CurrentProgramId, ["now"] = now, ["inactiveBefore"] = inactiveBefore, ["nowText"] = Iso(now),
            ["idHead"] = d.IdHead(now),
        }, ct);
        await ExecuteAsync(db, d, [.. d.DropTemp(lots), .. d.DropTemp(members)], null, [], ct);
        return count;
    }

    /// <summary>
    /// One warning for the lots of one date: every member with open lots lapsing at <paramref name="expiresAt"/> and no
    /// notice yet for (<paramref name="kind"/>, <paramref name="validThrough"/>) gets one notice and one event. Returns the members.
    /// </summary>
    public static Task<int> WarnAsync(
        LoyaltyDbContext db, DateTimeOffset now, DateTimeOffset expiresAt, string kind, string validThrough, int days, CancellationToken ct) =>
        WarnAsync(db, now, expiresAt, kind, validThrough, validThrough, days, null, ct);

    /// <summary>
    /// The inactivity form of <see cref="WarnAsync(LoyaltyDbContext, DateTimeOffset, DateTimeOffset, string, string, int, CancellationToken)"/>:
    /// every member whose last activity falls in [<paramref name="lastFrom"/>, <paramref name="lastTo"/>) loses all
    /// their open lots at <paramref name="expiresAt"/> unless active again; marked with the key <c>inactive:&lt;date&gt;</c>.
    /// </summary>
    public static Task<int> WarnInactiveAsync(
        LoyaltyDbContext db, DateTimeOffset now, DateTimeOffset expiresAt, DateTimeOffset lastFrom, DateTimeOffset lastTo, string kind, string validThrough, int days, CancellationToken ct) =>
        WarnAsync(db, now, expiresAt, kind, "inactive:" + validThrough, validThrough, days, (lastFrom, lastTo), ct);

    private static async Task<int> WarnAsync(
        LoyaltyDbContext db, DateTimeOffset now, DateTimeOffset expiresAt, string kind, string key, string validThrough, int days,
        (DateTimeOffset From, DateTimeOffset To)? lastActivity, CancellationToken ct)
    {
        var d = Dialect.Of(db);
        var warned = d.Temp("hl_warned");
        string[] statements =
        [
            .. d.DropTemp(warned),
            d.CreateTemp(warned, $"member_id {d.Uuid} PRIMARY KEY, points {d.Long} NOT NULL, notice_id {d.Uuid} NOT NULL, event_id {d.Uuid} NOT NULL"),
            $"""
            INSERT INTO {warned} (member_id, points, notice_id, event_id)
            SELECT l."MemberId", SUM(l."Remaining"), {d.NewId}, {d.NewId}
            FROM "PointsLots" l{(lastActivity is null ? "" : " JOIN \"Balances\" b ON b.\"MemberId\" = l.\"MemberId\"")}
            WHERE l."ProgramId" = @program AND l."Remaining" > 0
              AND {(lastActivity is null ? "l.\"ExpiresAt\" = @expiresAt" : "b.\"LastActivityAt\" >= @lastFrom AND b.\"LastActivityAt\" < @lastTo")}
              AND NOT EXISTS (SELECT 1 FROM "MemberNotices" n
                              WHERE n."ProgramId" = @program AND n."MemberId" = l."MemberId" AND n."Kind" = @kind AND n."Key" = @key)
            GROUP BY l."MemberId"
            """,
            $"""
            INSERT INTO "MemberNotices" ("Id", "ProgramId", "MemberId", "Kind", "Key", "RecordedAt")
            SELECT notice_id, @program, member_id, @kind, @key, @now FROM {warned}
            """,
            $"""
            INSERT INTO "DomainEvents" ("Id", "ProgramId", "Type", "MemberId", "OccurredAt", "RecordedAt", "Payload", "Position")
            SELECT x.event_id, @program, @kind, x.member_id, @now, @now,
                   {d.Json(("memberId", "x.member_id", JsonKind.Uuid), ("email", "mb.\"Email\"", JsonKind.Text), ("points", "x.points", JsonKind.Number),
                       ("expiresAt", "@expiresAtText", JsonKind.Text), ("validThrough", "@validThrough", JsonKind.Text), ("daysBefore", "@days", JsonKind.Number),
                       ("balance", "b.\"Approved\"", JsonKind.Number))}, NULL
            FROM {warned} x JOIN "Members" mb ON mb."Id" = x.member_id JOIN "Balances" b ON b."MemberId" = x.member_id
            """,
        ];
        var count = await ExecuteAsync(db, d, statements, $"SELECT COUNT(*) FROM {warned}", new()
        {
            ["program"] = db.CurrentProgramId, ["now"] = now, ["expiresAt"] = expiresAt, ["expiresAtText"] = Iso(expiresAt),
            ["kind"] = kind, ["key"] = key, ["validThrough"] = validThrough, ["days"] = days,
            ["lastFrom"] = lastActivity?.From, ["lastTo"] = lastActivity?.To, ["idHead"] = d.IdHead(now),
        }, ct);
        await ExecuteAsync(db, d, d.DropTemp(warned), null, [], ct);
        return count;
    }

    /// <summary>The ISO-8601 text System.Text.Json writes for a UTC DateTimeOffset, so payloads read back alike.</summary>
    private static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'+00:00'", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<int> ExecuteAsync(
        LoyaltyDbContext db, Dialect d, IEnumerable<string> statements, string? scalar, Dictionary<string, object?> parameters, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("The expiry statements run inside the caller's transaction.");
        foreach (var sql in statements.Append(scalar).OfType<string>())
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters.Where(p => sql.Contains('@' + p.Key, StringComparison.Ordinal)))
                command.Parameters.Add(d.Parameter(command, name, value));
            if (ReferenceEquals(sql, scalar))
                return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            await command.ExecuteNonQueryAsync(ct);
        }
        return 0;
    }

    private enum JsonKind { Uuid, Text, Number }

    /// <summary>What differs between the three databases; everything else is the same SQL (double-quoted names work in all three).</summary>
    private sealed record Dialect(string Provider)
    {
        private static readonly DateTimeOffsetToBinaryConverter SqliteTime = new();

        public static Dialect Of(LoyaltyDbContext db) => new(db.Database.ProviderName switch
        {
            { } p when p.Contains("Npgsql", StringComparison.Ordinal) => "pg",
            { } p when p.Contains("Sqlite", StringComparison.Ordinal) => "sqlite",
            { } p when p.Contains("SqlServer", StringComparison.Ordinal) => "mssql",
            var p => throw new NotSupportedException($"No expiry SQL for provider {p}."),
        });

        public string Uuid => Provider switch { "pg" => "uuid", "sqlite" => "TEXT", _ => "uniqueidentifier" };
        public string Long => Provider == "sqlite" ? "INTEGER" : "bigint";

        public string Temp(string name) => Provider == "mssql" ? "#" + name : name;

        /// <summary>
        /// Dropped before and after each use: one transaction may run several statements sets (one per warning date), and
        /// SQLite and SQL Server keep temp tables on the (pooled) connection. PostgreSQL's also go at commit.
        /// </summary>
        public IEnumerable<string> DropTemp(string table) => Provider switch
        {
            "pg" => [$"DROP TABLE IF EXISTS pg_temp.{table}"],
            "sqlite" => [$"DROP TABLE IF EXISTS temp.{table}"],
            _ => [$"DROP TABLE IF EXISTS {table}"],
        };

        public string CreateTemp(string table, string columns) => Provider switch
        {
            "pg" => $"CREATE TEMP TABLE {table} ({columns}) ON COMMIT DROP",
            "sqlite" => $"CREATE TEMP TABLE {table} ({columns})",
            _ => $"CREATE TABLE {table} ({columns})",
        };

        /// <summary>Row locks on the due lots and their balances that skip rows a concurrent writer holds.</summary>
        public string LockHint => Provider == "mssql" ? " WITH (UPDLOCK, ROWLOCK, READPAST)" : "";
        public string LockTail => Provider == "pg" ? "\nFOR UPDATE OF l, b SKIP LOCKED" : "";

        /// <summary>
        /// A new id per row where the database can build one: the head of one <see cref="DomainEvents.NextId"/> of the
        /// process (millisecond and counter, <see cref="IdHead"/>), then random. The events of one statement therefore
        /// sort after every event staged before it and before every later one, like the events staged in C#; a head made
        /// from the run's millisecond alone sorted before them whenever the process had handed out later ids.
        /// </summary>
        public string NewId => Provider switch
        {
            "pg" => "(@idHead || substr(replace(gen_random_uuid()::text, '-', ''), 17))::uuid",
            "sqlite" => "(@idHead || '-' || substr('89AB', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 1, 3) || '-' || hex(randomblob(6)))",
            _ => "NEWID()",
        };

        /// <summary>The first 64 bits of a fresh process id in the form <see cref="NewId"/> appends to: hex digits on PostgreSQL, SQLite's stored text (upper case, dashes) there.</summary>
        public string IdHead(DateTimeOffset now)
        {
            var id = DomainEvents.NextId(now);
            return Provider == "sqlite" ? id.ToString("D").ToUpperInvariant()[..18] : id.ToString("N")[..16];
        }

        public string UpdateFrom(string table, string alias, string set, string from, string on) => Provider == "mssql"
            ? $"UPDATE {alias} SET {set} FROM {table} {alias} JOIN {from} ON {on}"
            : $"UPDATE {table} AS {alias} SET {set} FROM {from} WHERE {on}";

        public string Json(params (string Name, string Sql, JsonKind Kind)[] fields) => Provider switch
        {
            "pg" => $"json_build_object({string.Join(", ", fields.Select(f => $"'{f.Name}', {PgValue(f)}"))})::text",
            "sqlite" => $"json_object({string.Join(", ", fields.Select(f => $"'{f.Name}', {(f.Kind == JsonKind.Uuid ? $"lower({f.Sql})" : f.Sql)}"))})",
            _ => "CONCAT(N'{', " + string.Join(", N',', ", fields.Select(f => $"N'\"{f.Name}\":', " + f.Kind switch
            {
                JsonKind.Uuid => $"N'\"', LOWER(CONVERT(nchar(36), {f.Sql})), N'\"'",
                JsonKind.Text => $"N'\"', STRING_ESCAPE({f.Sql}, 'json'), N'\"'",
                _ => f.Sql,
            })) + ", N'}')",
        };

        private static string PgValue((string Name, string Sql, JsonKind Kind) f) => f.Sql.StartsWith('@') ? f.Kind switch
        {
            JsonKind.Number => $"{f.Sql}::integer",
            _ => $"{f.Sql}::text",
        } : f.Sql;

        public DbParameter Parameter(DbCommand command, string name, object? value)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = (Provider, value) switch
            {
                (_, null) => DBNull.Value,
                ("sqlite", Guid g) => g.ToString().ToUpperInvariant(),
                ("sqlite", DateTimeOffset t) => SqliteTime.ConvertToProvider(t)!,
                (_, var v) => v,
            };
            if (value is null)
                p.DbType = Provider == "sqlite" ? System.Data.DbType.Int64 : System.Data.DbType.DateTimeOffset;
            return p;
        }
    }
}
