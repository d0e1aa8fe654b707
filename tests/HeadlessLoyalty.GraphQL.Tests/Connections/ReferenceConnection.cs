namespace HeadlessLoyalty.GraphQL.Tests.Connections;

/// <summary>
/// A literal, unoptimised transcription of the Relay cursor connections algorithm over positions 0..n-1
/// (ApplyCursorsToEdges, EdgesToReturn, HasPreviousPage, HasNextPage), used as the oracle for the slicer.
/// A cursor names a position; a position beyond the end excludes everything after it ("after") or nothing ("before").
/// </summary>
internal static class ReferenceConnection
{
    public sealed record Result(IReadOnlyList<int> Offsets, bool HasPreviousPage, bool HasNextPage);

    public static Result Compute(int n, int? first, int? after, int? last, int? before, int defaultPageSize)
    {
        if (first is null && last is null)
            first = defaultPageSize;
        var allEdges = Enumerable.Range(0, n).ToList();

        var edges = allEdges.ToList();
        if (after is { } a)
            edges.RemoveAll(e => e <= a);
        if (before is { } b)
            edges.RemoveAll(e => e >= b);
        var afterCursors = edges.Count;

        if (first is { } f && edges.Count > f)
            edges = edges.Take(f).ToList();
        if (last is { } l && edges.Count > l)
            edges = edges.Skip(edges.Count - l).ToList();

        bool hasPrevious;
        if (last is { } last1)
            hasPrevious = afterCursors > last1;
        else
            hasPrevious = after is { } a2 && allEdges.Any(e => e <= a2);

        bool hasNext;
        if (first is { } first1)
            hasNext = afterCursors > first1;
        else
            hasNext = before is { } b2 && allEdges.Any(e => e >= b2);

        return new Result(edges, hasPrevious, hasNext);
    }
}
