using GraphQL;
using GraphQL.Types.Relay.DataObjects;
using HeadlessLoyalty.GraphQL.Connections;

namespace HeadlessLoyalty.GraphQL.Tests.Connections;

public sealed class ConnectionSlicerTests
{
    private static readonly IReadOnlyList<int> Numbers = Enumerable.Range(100, 10).ToList(); // 100..109

    private static Connection<int> Slice(int? first = null, string? after = null, int? last = null, string? before = null)
        => ConnectionSlicer.Slice(new ConnectionArguments(first, after, last, before), Numbers, defaultPageSize: 4, maxPageSize: 6);

    private static IEnumerable<int> Nodes(Connection<int> connection) => connection.Edges!.Select(e => e.Node);

    [Fact]
    public void Without_arguments_the_default_page_size_applies_from_the_start()
    {
        var page = Slice();

        Assert.Equal([100, 101, 102, 103], Nodes(page));
        Assert.True(page.PageInfo!.HasNextPage);
        Assert.False(page.PageInfo.HasPreviousPage);
        Assert.Equal(10, page.TotalCount);
    }

    [Fact]
    public void Paging_forward_with_end_cursors_visits_every_row_once()
    {
        var seen = new List<int>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var page = Slice(first: 3, after: after);
            seen.AddRange(Nodes(page));
            pages++;
            if (!page.PageInfo!.HasNextPage)
                break;
            after = page.PageInfo.EndCursor;
        }

        Assert.Equal(Numbers, seen);
        Assert.Equal(4, pages);
    }

    [Fact]
    public void Paging_backward_with_start_cursors_visits_every_row_once()
    {
        var seen = new List<int>();
        string? before = null;
        while (true)
        {
            var page = Slice(last: 4, before: before);
            seen.InsertRange(0, Nodes(page));
            if (!page.PageInfo!.HasPreviousPage)
                break;
            before = page.PageInfo.StartCursor;
        }

        Assert.Equal(Numbers, seen);
    }

    [Fact]
    public void Last_alone_returns_the_tail()
    {
        var page = Slice(last: 2);

        Assert.Equal([108, 109], Nodes(page));
        Assert.True(page.PageInfo!.HasPreviousPage);
        Assert.False(page.PageInfo.HasNextPage);
    }

    [Fact]
    public void After_and_before_together_bound_the_window()
    {
        var all = Slice(first: 6);
        var after = all.Edges![1].Cursor; // 101
        var before = all.Edges![5].Cursor; // 105

        var page = Slice(first: 6, after: after, before: before);

        Assert.Equal([102, 103, 104], Nodes(page));
        Assert.True(page.PageInfo!.HasPreviousPage);
        Assert.False(page.PageInfo.HasNextPage); // first is given and did not cut the window
    }

    [Fact]
    public void First_zero_returns_no_edges_and_null_cursors()
    {
        var page = Slice(first: 0);

        Assert.Empty(page.Edges!);
        Assert.Null(page.PageInfo!.StartCursor);
        Assert.Null(page.PageInfo.EndCursor);
        Assert.True(page.PageInfo.HasNextPage);
    }

    [Fact]
    public void A_cursor_beyond_the_end_yields_an_empty_last_page()
    {
        var page = Slice(first: 3, after: ConnectionCursor.Encode(50));

        Assert.Empty(page.Edges!);
        Assert.False(page.PageInfo!.HasNextPage);
    }

    [Theory]
    [InlineData(-1, null)]
    [InlineData(null, -1)]
    [InlineData(7, null)]
    [InlineData(null, 7)]
    public void Negative_or_oversized_page_sizes_are_invalid_pagination(int? first, int? last)
    {
        var error = Assert.Throws<PaginationError>(() => Slice(first: first, last: last));

        Assert.Equal("INVALID_PAGINATION", error.Code);
    }

    [Fact]
    public void The_maximum_page_size_itself_is_allowed()
    {
        Assert.Equal(6, Slice(first: 6).Edges!.Count);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("MTIz")] // "123": no version prefix
    [InlineData("")]
    public void Foreign_cursors_are_invalid(string cursor)
    {
        var error = Assert.Throws<PaginationError>(() => Slice(after: cursor));

        Assert.Equal("INVALID_CURSOR", error.Code);
        Assert.Contains("after", error.Message);
    }

    [Fact]
    public void An_edited_cursor_is_detected()
    {
        var genuine = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(ConnectionCursor.Encode(3)));
        var edited = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(genuine.Replace("c1:3:", "c1:4:")));

        Assert.False(ConnectionCursor.TryDecode(edited, out _));
        var error = Assert.Throws<PaginationError>(() => Slice(before: edited));
        Assert.Equal("INVALID_CURSOR", error.Code);
    }

    [Fact]
    public void Cursors_round_trip_and_are_opaque()
    {
        var cursor = ConnectionCursor.Encode(1234);

        Assert.True(ConnectionCursor.TryDecode(cursor, out var offset));
        Assert.Equal(1234, offset);
        Assert.DoesNotContain("1234", cursor);
    }

    [Fact]
    public async Task Async_slicing_reads_only_the_page_rows_and_passes_the_cancellation_token()
    {
        using var cts = new CancellationTokenSource();
        var fetches = new List<(int Skip, int Take)>();
        var tokens = new List<CancellationToken>();
        var after = ConnectionCursor.Encode(4);

        var page = await ConnectionSlicer.SliceAsync(
            new ConnectionArguments(3, after, null, null),
            (skip, take, ct) =>
            {
                fetches.Add((skip, take));
                tokens.Add(ct);
                return Task.FromResult<IReadOnlyList<int>>(Numbers.Skip(skip).Take(take).ToList());
            },
            ct =>
            {
                tokens.Add(ct);
                return Task.FromResult(Numbers.Count);
            },
            defaultPageSize: 4,
            maxPageSize: 6,
            cts.Token);

        Assert.Equal([105, 106, 107], Nodes(page));
        Assert.Equal([(5, 3)], fetches);
        Assert.All(tokens, t => Assert.Equal(cts.Token, t));
    }

    [Fact]
    public async Task An_empty_window_does_not_fetch_rows()
    {
        var fetched = false;

        var page = await ConnectionSlicer.SliceAsync(
            new ConnectionArguments(0, null, null, null),
            (_, _, _) =>
            {
                fetched = true;
                return Task.FromResult<IReadOnlyList<int>>([]);
            },
            _ => Task.FromResult(10),
            4, 6, CancellationToken.None);

        Assert.Empty(page.Edges!);
        Assert.False(fetched);
    }

    [Fact]
    public async Task Invalid_arguments_are_rejected_before_any_database_work()
    {
        var touched = false;

        await Assert.ThrowsAsync<PaginationError>(() => ConnectionSlicer.SliceAsync<int>(
            new ConnectionArguments(-5, null, null, null),
            (_, _, _) => { touched = true; return Task.FromResult<IReadOnlyList<int>>([]); },
            _ => { touched = true; return Task.FromResult(0); },
            4, 6, CancellationToken.None));

        Assert.False(touched);
    }

    [Fact]
    public void Pagination_errors_are_execution_errors_with_a_code()
    {
        ExecutionError error = PaginationError.InvalidCursor("after");

        Assert.Equal("INVALID_CURSOR", error.Code);
    }
}
