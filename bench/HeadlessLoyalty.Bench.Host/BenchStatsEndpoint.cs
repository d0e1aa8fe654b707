using HeadlessLoyalty.GraphQL.Caching;

namespace HeadlessLoyalty.Bench.Host;

/// <summary>
/// <c>GET /bench/stats</c>: process counters run.sh reads before and after each load run, so the results can say how
/// much each request allocated and whether GraphQL documents came from the cache (there is no dotnet-counters here).
/// </summary>
internal static class BenchStatsEndpoint
{
    public static IEndpointConventionBuilder MapBenchStats(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/bench/stats", (ValidatedDocumentCache documents) => TypedResults.Ok(new
        {
            allocatedBytes = GC.GetTotalAllocatedBytes(precise: true),
            gen0 = GC.CollectionCount(0),
            gen1 = GC.CollectionCount(1),
            gen2 = GC.CollectionCount(2),
            documentCache = new { hits = documents.Hits, misses = documents.Misses, count = documents.Count },
        })).AllowAnonymous();
}
