using HeadlessLoyalty.Api.Tenancy;

namespace HeadlessLoyalty.Api.Cli;

internal static class ProgramVerbs
{
    public static async Task<int> CreateAsync(CliContext cli)
    {
        var args = cli.Arguments;
        if (args.At(0) is not { } slug || args.Option("name") is not { } name || args.Option("currency") is not { } currency)
            return cli.Fail("USAGE", "program create <slug> --name <name> --currency <ISO 4217> [--time-zone <IANA id>]");
        try
        {
            var program = await cli.Services.GetRequiredService<ProgramDirectory>()
                .CreateAsync(slug, name, currency, args.Option("time-zone") ?? "UTC");
            cli.Out.WriteLine($"Created program '{program.Slug}' ({program.Name}, {program.Currency}, {program.TimeZone}) id {program.Id}");
            return 0;
        }
        catch (ProgramException e)
        {
            return cli.Fail(e.Error.Code, e.Error.Message);
        }
    }

    public static async Task<int> ListAsync(CliContext cli)
    {
        var programs = await cli.Services.GetRequiredService<ProgramDirectory>().ListAsync();
        if (programs.Count == 0)
            cli.Out.WriteLine("No programs yet: create one with 'program create <slug> --name <name> --currency <ISO>'.");
        foreach (var p in programs)
            cli.Out.WriteLine($"{p.Slug,-24} {p.Currency}  {p.TimeZone,-20} {p.Name}");
        return 0;
    }
}
