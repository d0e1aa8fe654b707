using System.Data.Common;
using HeadlessLoyalty.Api.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HeadlessLoyalty.Api.Events;

/// <summary>
/// Gives committed events their positions, after commit, in one place: a writer's transaction never takes a position
/// (an identity value taken inside a transaction can commit after a higher one, and a reader that had moved past it
/// would skip it). One sequencer at a time (see <see cref="EventSequencerSql.Lock"/>) reads the head and numbers the
/// oldest unpositioned events it can see, head + 1, head + 2 ..., in (RecordedAt, Id) order, in one transaction. An
/// event that commits late simply gets a later position; a batch becomes visible all at once and every batch starts
/// above the previous one, so a reader asking for "positions after my cursor" can never skip one.
/// <para>
/// Uses its own connection (no EF interceptors: its polling does not count as an application query). The background
/// <see cref="EventSequencerService"/> runs it; tests and jobs call <see cref="SequenceAsync"/> directly.
/// </para>
/// </summary>
public sealed class EventSequencer(DatabaseSettings database, EventWakeups wakeups, IOptions<EventsOptions> options)
{
    /// <summary>
    /// Positions every event committed so far (in batches of <c>Events:BatchSize</c>, one transaction each), then
    /// announces the head to <see cref="IEventWakeups"/> (and so to other instances through Redis). Returns the head:
    /// the highest position of the whole log (all programs). Safe to call from anywhere at any time, concurrently too.
    /// </summary>
    public async Task<long> SequenceAsync(CancellationToken ct = default)
    {
        var provider = database.Provider;
        var batch = Math.Max(1, options.Value.BatchSize);
        await using var connection = Open(provider, database.ConnectionString);
        await connection.OpenAsync(ct);
        long head;
        int assigned, total = 0;
        do
        {
            (head, assigned) = await PassAsync(connection, provider, batch, ct);
            total += assigned;
        }
        while (assigned == batch);
        await wakeups.PublishAsync(head, broadcast: total > 0);
        return head;
    }

    /// <summary>
    /// The idle poll: when nothing waits for a position it only reads the head (one indexed query, no lock) and
    /// announces it, so this instance's readers also learn of events another instance sequenced.
    /// </summary>
    internal async Task<long> PollAsync(CancellationToken ct)
    {
        var provider = database.Provider;
        await using var connection = Open(provider, database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var peek = connection.CreateCommand();
        peek.CommandText = EventSequencerSql.Peek(provider);
        long head;
        bool waiting;
        await using (var reader = await peek.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (head, waiting) = (Convert.ToInt64(reader.GetValue(0)), Convert.ToInt32(reader.GetValue(1)) == 1);
        }
        if (waiting)
            return await SequenceAsync(ct);
        await wakeups.PublishAsync(head, broadcast: false);
        return head;
    }

    private static async Task<(long Head, int Assigned)> PassAsync(DbConnection connection, DatabaseProvider provider, int batch, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (EventSequencerSql.Lock(provider) is { } lockSql)
            await ExecuteAsync(connection, tx, lockSql, ct);
        long head;
        await using (var read = Command(connection, tx, EventSequencerSql.Head(provider)))
            head = Convert.ToInt64(await read.ExecuteScalarAsync(ct));
        int assigned;
        await using (var assign = Command(connection, tx, EventSequencerSql.Assign(provider)))
        {
            Parameter(assign, "@head", head);
            Parameter(assign, "@batch", batch);
            assigned = await assign.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return (head + assigned, assigned);
    }

    private static DbConnection Open(DatabaseProvider provider, string connectionString) => provider switch
    {
        DatabaseProvider.Postgres => new NpgsqlConnection(connectionString),
        DatabaseProvider.SqlServer => new Microsoft.Data.SqlClient.SqlConnection(connectionString),
        _ => new SqliteConnection(connectionString),
    };

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    private static void Parameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, tx, sql);
        await command.ExecuteNonQueryAsync(ct);
    }
}
