using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Data;

/// <summary>
/// The tables that hold one settings row per program (earning rules, segment rules, expiry policy, referral rules,
/// tier policy): the tenant filter leaves the caller's program's row only, and a program without one has the defaults.
/// </summary>
public static class ProgramSettingsRows
{
    /// <summary>The program's settings, converted from its row; <paramref name="defaults"/> when it has none.</summary>
    public static async Task<TSettings> ReadOrDefaultAsync<TRow, TSettings>(
        this DbSet<TRow> rows, Func<TRow, TSettings> convert, TSettings defaults, CancellationToken ct) where TRow : class =>
        await rows.AsNoTracking().FirstOrDefaultAsync(ct) is { } row ? convert(row) : defaults;

    /// <summary>The program's tracked row for a change inside a write transaction; a new one (stamped with the program on save) when it has none.</summary>
    public static async Task<TRow> TrackedOrNewAsync<TRow>(this DbSet<TRow> rows, Func<TRow> create, CancellationToken ct) where TRow : class
    {
        var row = await rows.FirstOrDefaultAsync(ct);
        if (row is null)
            rows.Add(row = create());
        return row;
    }
}
