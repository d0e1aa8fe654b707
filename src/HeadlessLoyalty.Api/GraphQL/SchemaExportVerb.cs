using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using HeadlessLoyalty.Api.Cli;

namespace HeadlessLoyalty.Api.GraphQL;

/// <summary><c>schema export [--output file]</c>: the SDL of the running schema, as committed in schema/schema.graphql.</summary>
internal static class SchemaExportVerb
{
    public static async Task<int> RunAsync(CliContext cli)
    {
        var sdl = Print(cli.Services.GetRequiredService<LoyaltySchema>());
        if (cli.Arguments.Option("output") is not { Length: > 0 } path)
        {
            await cli.Out.WriteAsync(sdl);
            return 0;
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            // `dotnet run --project` runs in the project's folder: a path relative to the caller's folder lands here.
            await cli.Error.WriteLineAsync($"No folder {folder} for --output; give an absolute path or redirect stdout (schema export > schema/schema.graphql).");
            return 2;
        }
        await File.WriteAllTextAsync(path, sdl);
        await cli.Error.WriteLineAsync($"Schema written to {Path.GetFullPath(path)}.");
        return 0;
    }

    /// <summary>Descriptions included, line endings normalized, one trailing newline: stable across machines.</summary>
    public static string Print(ISchema schema)
    {
        schema.Initialize();
        var sdl = schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true });
        return sdl.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
    }
}
