using FsCheck.Xunit;
using GraphQL.Types.Relay.DataObjects;
using HeadlessLoyalty.GraphQL.Connections;

namespace HeadlessLoyalty.GraphQL.Tests.Connections;

public sealed class ConnectionSlicerPropertyTests
{
    private const int DefaultPageSize = 5;
    private const int MaxPageSize = 30;

    // Generated ints become optional arguments: a third of them absent, the rest folded into a small range so that
    // cursors before, inside and beyond the list all occur.
    private static int? Optional(int raw, int range) => raw % 3 == 0 ? null : ((raw % range) + range) % range;

    [Property(MaxTest = 2000)]
    public async Task Slicer_agrees_with_the_specification_algorithm(int rawCount, int rawFirst, int rawAfter, int rawLast, int rawBefore)
    {
        var n = ((rawCount % 25) + 25) % 25;
        var first = Optional(rawFirst, MaxPageSize + 1);
        var last = Optional(rawLast, MaxPageSize + 1);
        var after = Optional(rawAfter, 30);
        var before = Optional(rawBefore, 30);
        var items = Enumerable.Range(0, n).Select(i => $"item{i}").ToList();
        var args = new ConnectionArguments(first, after is { } a ? ConnectionCursor.Encode(a) : null, last, before is { } b ? ConnectionCursor.Encode(b) : null);

        var expected = ReferenceConnection.Compute(n, first, after, last, before, DefaultPageSize);
        var fetches = new List<(int Skip, int Take)>();
        var sliced = await ConnectionSlicer.SliceAsync(
            args,
            (skip, take, _) =>
            {
                fetches.Add((skip, take));
                return Task.FromResult<IReadOnlyList<string>>(items.Skip(skip).Take(take).ToList());
            },
            _ => Task.FromResult(n),
            DefaultPageSize,
            MaxPageSize,
            CancellationToken.None);
        var inMemory = ConnectionSlicer.Slice(args, items, DefaultPageSize, MaxPageSize);

        foreach (var connection in new[] { sliced, inMemory })
        {
            Assert.Equal(expected.Offsets.Select(o => $"item{o}"), connection.Edges!.Select(e => e.Node));
            Assert.Equal(expected.Offsets, connection.Edges!.Select(e => Offset(e.Cursor)));
            Assert.Equal(expected.HasPreviousPage, connection.PageInfo!.HasPreviousPage);
            Assert.Equal(expected.HasNextPage, connection.PageInfo.HasNextPage);
            Assert.Equal(connection.Edges!.FirstOrDefault()?.Cursor, connection.PageInfo.StartCursor);
            Assert.Equal(connection.Edges!.LastOrDefault()?.Cursor, connection.PageInfo.EndCursor);
            Assert.Equal(n, connection.TotalCount);
        }

        // Only the rows of the page are read, in one fetch, and none when the page is empty.
        if (expected.Offsets.Count == 0)
            Assert.Empty(fetches);
        else
            Assert.Equal([(expected.Offsets[0], expected.Offsets.Count)], fetches);
    }

    private static int Offset(string? cursor)
    {
        Assert.True(ConnectionCursor.TryDecode(cursor, out var offset));
        return offset;
    }
}
