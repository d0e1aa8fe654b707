using System.Globalization;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Tenancy;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Cli;

/// <summary>Prints a token signed with the local key (development, demos, and service accounts of embedded installs).</summary>
internal static class TokenVerb
{
    public static async Task<int> RunAsync(CliContext cli)
    {
        var args = cli.Arguments;
        if (args.Option("program") is not { } slug || args.Options("role").Count == 0)
            return cli.Fail("USAGE", "token --program <slug> --role <role> [--member <id|email|code>] [--subject <sub>] [--lifetime <1h|30m|7d>]");
        var roles = args.Options("role").SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
        if (roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown)
            return cli.Fail("UNKNOWN_ROLE", $"Role '{unknown}' is not one of {string.Join(", ", Roles.All)}.");
        if (ParseLifetime(args.Option("lifetime") ?? "1h") is not { } lifetime)
            return cli.Fail("INVALID_LIFETIME", "Lifetime must look like 30m, 12h, 7d or 01:30:00 and be positive.");

        var program = await cli.Services.GetRequiredService<ProgramDirectory>().FindAsync(slug);
        if (program is null)
            return cli.Fail("UNKNOWN_PROGRAM", $"Program '{slug}' does not exist (see 'program list').");
        cli.Services.GetRequiredService<TenantContext>().Set(program.Id);

        Guid? memberId = null;
        if (args.Option("member") is { } member)
        {
            memberId = await FindMemberAsync(cli.Services.GetRequiredService<LoyaltyDbContext>(), member);
            if (memberId is null)
                return cli.Fail("UNKNOWN_MEMBER", $"No member '{member}' in program '{slug}'.");
        }
        else if (roles.Contains(Roles.Storefront))
            return cli.Fail("MEMBER_REQUIRED", "A storefront token names its member: add --member <id|email|code>.");

        var subject = args.Option("subject") ?? (memberId is { } m ? $"member:{m}" : $"cli-{roles[0]}");
        if (cli.Services.GetRequiredService<IOptions<AuthOptions>>().Value.UsesExternalAuthority)
            cli.Error.WriteLine("warning: Auth:Authority is configured, so the server trusts that issuer only and will refuse this locally signed token.");
        cli.Out.WriteLine(cli.Services.GetRequiredService<LocalTokenIssuer>().Mint(program.Slug, roles, subject, memberId, lifetime));
        return 0;
    }

    /// <summary>By id, email or member code, with the same normalization as every other member look-up.</summary>
    private static async Task<Guid?> FindMemberAsync(LoyaltyDbContext db, string member)
    {
        var found = Guid.TryParse(member, out var id)
            ? await MemberQueries.FindByIdAsync(db, id)
            : await MemberQueries.FindByEmailAsync(db, member) ?? await MemberQueries.FindByCodeAsync(db, member);
        return found?.Id;
    }

    internal static TimeSpan? ParseLifetime(string value)
    {
        TimeSpan? parsed = value.Length > 1 && long.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? char.ToLowerInvariant(value[^1]) switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            }
            : TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) ? span : null;
        return parsed > TimeSpan.Zero ? parsed : null;
    }
}
