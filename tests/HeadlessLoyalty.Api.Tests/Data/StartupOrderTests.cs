using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HeadlessLoyalty.Api.Tests.Data;

public sealed class StartupOrderTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Fact]
    public void The_database_is_migrated_before_any_other_hosted_service_starts()
    {
        // Data Protection's hosted service reads its key ring from the database when it starts: on a fresh embedded
        // install the tables must already exist, so the migration must come first.
        var first = fixture.Factory.Services.GetServices<IHostedService>().First();
        Assert.IsType<DatabaseStartup>(first);
    }
}
