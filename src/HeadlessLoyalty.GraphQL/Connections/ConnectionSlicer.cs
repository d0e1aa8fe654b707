using GraphQL.Types.Relay.DataObjects;

namespace HeadlessLoyalty.GraphQL.Connections;

/// <summary>
/// Relay cursor connections over an ordered, offset-addressable source, following the Relay cursor connections
/// specification (ApplyCursorsToEdges, first/last slicing, HasPreviousPage/HasNextPage).
/// <list type="bullet">
/// <item>Neither first nor last: first = defaultPageSize.</item>
/// <item>first or last negative, or above maxPageSize: INVALID_PAGINATION (an error, not a silent clamp, so a
/// client never mistakes a shortened page for the end of the data).</item>
/// <item>A cursor not issued by <see cref="ConnectionCursor"/>: INVALID_CURSOR. A well-formed cursor beyond the end
/// is accepted (rows may have been deleted since it was issued).</item>
/// <item>hasPreviousPage: with last, whether more than last edges remain after the cursors; otherwise true when
/// after is given and rows exist before the page ("the server can efficiently determine" clause of the spec).
/// hasNextPage symmetrically with first and before.</item>
/// </list>
/// The count is always taken (it backs totalCount and positions last), and only the rows of the page are fetched.
/// </summary>
public static class ConnectionSlicer
{
    public static async Task<Connection<T>> SliceAsync<T>(
        ConnectionArguments args,
        Func<int, int, CancellationToken, Task<IReadOnlyList<T>>> fetchPage,
        Func<CancellationToken, Task<int>> count,
        int defaultPageSize,
        int maxPageSize,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(fetchPage);
        ArgumentNullException.ThrowIfNull(count);
        var window = Window.From(args, defaultPageSize, maxPageSize);

        var total = await count(ct).ConfigureAwait(false);
        if (total < 0)
            throw new InvalidOperationException("The count delegate returned a negative number.");
        var page = window.Resolve(total);

        var rows = page.Take == 0
            ? []
            : await fetchPage(page.Skip, page.Take, ct).ConfigureAwait(false);
        // Rows can vanish between count and fetch; never invent edges, never return more than asked.
        if (rows.Count > page.Take)
            rows = rows.Take(page.Take).ToList();
        return page.Build(rows, total);
    }

    /// <summary>The same slicing over rows already in memory.</summary>
    public static Connection<T> Slice<T>(ConnectionArguments args, IReadOnlyList<T> items, int defaultPageSize, int maxPageSize)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(items);
        var page = Window.From(args, defaultPageSize, maxPageSize).Resolve(items.Count);
        var rows = new T[page.Take];
        for (var i = 0; i < page.Take; i++)
            rows[i] = items[page.Skip + i];
        return page.Build(rows, items.Count);
    }

    /// <summary>Validated arguments: decoded cursor offsets and page sizes.</summary>
    private readonly record struct Window(int? First, int? AfterOffset, int? Last, int? BeforeOffset)
    {
        public static Window From(ConnectionArguments args, int defaultPageSize, int maxPageSize)
        {
            if (maxPageSize < 1 || defaultPageSize < 1 || defaultPageSize > maxPageSize)
                throw new ArgumentOutOfRangeException(nameof(defaultPageSize), "Need 1 <= defaultPageSize <= maxPageSize.");
            CheckSize("first", args.First, maxPageSize);
            CheckSize("last", args.Last, maxPageSize);
            var first = args.First ?? (args.Last is null ? defaultPageSize : null);
            return new(first, DecodeCursor("after", args.After), args.Last, DecodeCursor("before", args.Before));
        }

        public Page Resolve(int total)
        {
            // ApplyCursorsToEdges: keep the rows strictly between after and before.
            var lower = AfterOffset is { } after ? (int)Math.Min((long)after + 1, total) : 0;
            var upper = BeforeOffset is { } before ? Math.Min(before, total) : total;
            if (upper < lower)
                upper = lower;
            var remaining = upper - lower;

            var start = lower;
            var end = upper;
            if (First is { } first && end - start > first)
                end = start + first;
            if (Last is { } last && end - start > last)
                start = end - last;

            var hasPrevious = Last is { } l ? remaining > l : AfterOffset is not null && lower > 0;
            var hasNext = First is { } f ? remaining > f : BeforeOffset is { } b && b < total;
            return new(start, end - start, hasPrevious, hasNext);
        }

        private static void CheckSize(string name, int? value, int max)
        {
            if (value is < 0)
                throw PaginationError.InvalidPagination($"'{name}' must not be negative.");
            if (value > max)
                throw PaginationError.InvalidPagination($"'{name}' must not exceed {max}.");
        }

        private static int? DecodeCursor(string name, string? cursor)
        {
            if (cursor is null)
                return null;
            return ConnectionCursor.TryDecode(cursor, out var offset) ? offset : throw PaginationError.InvalidCursor(name);
        }
    }

    private readonly record struct Page(int Skip, int Take, bool HasPreviousPage, bool HasNextPage)
    {
        public Connection<T> Build<T>(IReadOnlyList<T> rows, int total)
        {
            var edges = new List<Edge<T>>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
                edges.Add(new Edge<T> { Node = rows[i], Cursor = ConnectionCursor.Encode(Skip + i) });
            return new Connection<T>
            {
                Edges = edges,
                TotalCount = total,
                PageInfo = new PageInfo
                {
                    HasPreviousPage = HasPreviousPage,
                    HasNextPage = HasNextPage,
                    StartCursor = edges.Count > 0 ? edges[0].Cursor : null,
                    EndCursor = edges.Count > 0 ? edges[^1].Cursor : null,
                },
            };
        }
    }
}
