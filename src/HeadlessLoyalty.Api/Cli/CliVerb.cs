namespace HeadlessLoyalty.Api.Cli;

/// <summary>
/// A command-line verb, e.g. <c>program create</c>. Registered in DI with <see cref="CliExtensions.AddCliVerb"/>
/// by whichever feature owns it, so a feature adds its verbs without touching this folder.
/// </summary>
/// <param name="Name">One or more words: <c>migrate</c>, <c>schema export</c>.</param>
/// <param name="Usage">One line shown by the help, arguments only, e.g. <c>&lt;slug&gt; --name &lt;name&gt;</c>.</param>
/// <param name="Run">Returns the process exit code: 0 done, 1 refused (typed error printed), 2 usage error.</param>
/// <param name="MigrateFirst">Whether the database is migrated first (when MigrateOnStartup is on); false for verbs
/// that do their own migrating or need no database.</param>
public sealed record CliVerb(string Name, string Usage, Func<CliContext, Task<int>> Run, bool MigrateFirst = true);

/// <summary>What a verb gets: a service scope of the configured app, its own arguments, and where to write.</summary>
public sealed class CliContext(IServiceProvider services, CliArguments arguments, TextWriter output, TextWriter error)
{
    public IServiceProvider Services => services;
    public CliArguments Arguments => arguments;
    public TextWriter Out => output;
    public TextWriter Error => error;

    /// <summary>Prints <c>error CODE: message</c> to stderr and returns exit code 1.</summary>
    public int Fail(string code, string message)
    {
        error.WriteLine($"error {code}: {message}");
        return 1;
    }
}

/// <summary>A verb's arguments after its name: positionals and <c>--option value</c> pairs (repeatable).</summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Positional { get; }

    public CliArguments(IEnumerable<string> args)
    {
        var positional = new List<string>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=');
            var (name, value) = eq > 0 ? (arg[2..eq], arg[(eq + 1)..]) : (arg[2..], e.MoveNext() ? e.Current : "");
            if (!_options.TryGetValue(name, out var values))
                _options[name] = values = [];
            values.Add(value);
        }
        Positional = positional;
    }

    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Options(string name) => _options.TryGetValue(name, out var v) ? v : [];

    public string? At(int index) => index < Positional.Count ? Positional[index] : null;
}
