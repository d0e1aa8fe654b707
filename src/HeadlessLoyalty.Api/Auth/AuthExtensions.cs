using HeadlessLoyalty.Api.Tenancy;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace HeadlessLoyalty.Api.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// JWT bearer with the claims contract (<c>sub</c>, <c>program</c>, <c>role</c>, <c>member_id</c>) kept as is.
    /// Validation parameters are chosen when the handler first runs, from <see cref="AuthOptions"/>.
    /// </summary>
    public static WebApplicationBuilder AddLoyaltyAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration("Auth");
        services.AddSingleton<LocalSigningKey>();
        services.AddSingleton<LocalTokenIssuer>();
        services.AddScoped<Caller>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, LocalSigningKey, TimeProvider>((jwt, auth, key, clock) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TimeProvider = clock;
                var p = jwt.TokenValidationParameters;
                p.NameClaimType = LoyaltyClaims.Subject;
                p.RoleClaimType = LoyaltyClaims.Role;
                p.ValidateIssuer = p.ValidateAudience = p.ValidateLifetime = p.ValidateIssuerSigningKey = true;
                p.ClockSkew = TimeSpan.FromSeconds(30);
                // Lifetime is judged by the app's TimeProvider (the library reads the system clock), so a test's fake clock rules.
                p.LifetimeValidator = (notBefore, expires, _, parameters) =>
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    return (notBefore is null || notBefore.Value <= now + parameters.ClockSkew)
                        && expires is not null && expires.Value >= now - parameters.ClockSkew;
                };
                if (auth.Value.UsesExternalAuthority)
                {
                    jwt.Authority = auth.Value.Authority;
                    jwt.RequireHttpsMetadata = auth.Value.RequireHttpsMetadata;
                    jwt.Audience = auth.Value.Audience;
                    p.ValidAudience = auth.Value.Audience;
                    return;
                }
                p.ValidIssuer = AuthOptions.LocalIssuer;
                p.ValidAudience = AuthOptions.LocalAudience;
                p.IssuerSigningKey = key.Key;
                p.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            });
        services.AddAuthorization();
        return builder;
    }

    public static WebApplication UseLoyaltyAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseLoyaltyTenancy();
        app.UseAuthorization();
        return app;
    }
}
