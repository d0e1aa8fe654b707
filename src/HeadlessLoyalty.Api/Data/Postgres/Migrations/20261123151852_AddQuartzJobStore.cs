using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Jobs;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AddQuartzJobStore : Migration
    {
        /// <summary>Quartz's clustered job store tables (see <see cref="QuartzSchema"/>).</summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            QuartzSchema.Create(migrationBuilder, DatabaseProvider.Postgres);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            QuartzSchema.Drop(migrationBuilder, DatabaseProvider.Postgres);
        }
    }
}
