using HeadlessLoyalty.Api.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HeadlessLoyalty.Api.Tests.Data;

public sealed class DatabaseSettingsTests
{
    private static DatabaseSettings Settings(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        return new DatabaseSettings(Options.Create(options), configuration, new Host("/srv/app"));
    }

    [Fact]
    public void Nothing_configured_means_a_sqlite_file_in_the_data_folder_of_the_content_root_migrated_on_start()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hl-tests", Guid.NewGuid().ToString("N"));
        var settings = Settings(new() { ["Database:DataDirectory"] = dir });

        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.True(settings.MigrateOnStartup);
        Assert.Equal($"Data Source={Path.Combine(dir, "loyalty.db")}", settings.ConnectionString);
        Assert.True(Directory.Exists(dir));
        Directory.Delete(dir);
        Assert.Equal("/srv/app/data", Settings([]).DataDirectory);
    }

    [Fact]
    public void A_server_database_takes_ConnectionStrings_Loyalty_and_does_not_migrate_on_start_by_default()
    {
        var settings = Settings(new() { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Loyalty"] = "Host=db" });

        Assert.Equal("Host=db", settings.ConnectionString);
        Assert.False(settings.MigrateOnStartup);
        Assert.True(Settings(new() { ["Database:Provider"] = "SqlServer", ["Database:MigrateOnStartup"] = "true" }).MigrateOnStartup);
    }

    [Fact]
    public void A_server_database_without_a_connection_string_is_a_clear_configuration_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Settings(new() { ["Database:Provider"] = "SqlServer" }).ConnectionString);

        Assert.Contains("ConnectionStrings:Loyalty", error.Message);
    }

    private sealed class Host(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
