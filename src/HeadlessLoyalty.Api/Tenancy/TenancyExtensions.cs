namespace HeadlessLoyalty.Api.Tenancy;

public static class TenancyExtensions
{
    public static WebApplicationBuilder AddLoyaltyTenancy(this WebApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<ProgramDirectory>();
        return builder;
    }

    /// <summary>After UseAuthentication: turns the token's program into the scope's tenant, or refuses the request.</summary>
    public static IApplicationBuilder UseLoyaltyTenancy(this IApplicationBuilder app) =>
        app.UseMiddleware<TenantResolutionMiddleware>();
}
