using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class CouponUse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "UsedOnOrder",
                table: "Coupons",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "Coupons",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UsedOnOrder",
                table: "Coupons");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Coupons");
        }
    }
}
