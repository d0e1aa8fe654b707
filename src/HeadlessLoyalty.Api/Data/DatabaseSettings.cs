using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Data;

/// <summary>The resolved database settings: options plus the defaults that depend on the host (content root).</summary>
public sealed class DatabaseSettings(IOptions<DatabaseOptions> options, IConfiguration configuration, IHostEnvironment environment)
{
    public DatabaseProvider Provider => options.Value.Provider;

    public bool MigrateOnStartup => options.Value.ShouldMigrateOnStartup;

    public string DataDirectory { get; } = ResolveDataDirectory(options.Value.DataDirectory, environment.ContentRootPath);

    public string ConnectionString => NullIfBlank(options.Value.ConnectionString)
        ?? NullIfBlank(configuration.GetConnectionString("Loyalty"))
        ?? (Provider == DatabaseProvider.Sqlite
            ? $"Data Source={Path.Combine(EnsureDataDirectory(), "loyalty.db")}"
            : throw new InvalidOperationException(
                $"Database:Provider is {Provider} but neither Database:ConnectionString nor ConnectionStrings:Loyalty is set."));

    /// <summary>The data folder, created when missing.</summary>
    public string EnsureDataDirectory()
    {
        Directory.CreateDirectory(DataDirectory);
        return DataDirectory;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string ResolveDataDirectory(string? configured, string contentRoot) =>
        string.IsNullOrWhiteSpace(configured) ? Path.Combine(contentRoot, "data") : Path.GetFullPath(configured, contentRoot);
}
