using HeadlessLoyalty.Api.Data;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.Api.Tests.Infrastructure;

public static class LoyaltyApiFactoryExtensions
{
    /// <summary>A LoyaltyDbContext with no tenant in scope (sees programs and, with IgnoreQueryFilters, everything).</summary>
    public static Task<T> WithTenantlessDb<T>(this LoyaltyApiFactory factory, Func<LoyaltyDbContext, Task<T>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<LoyaltyDbContext>()));
}
