using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Referrals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "RedeemEntryId",
                table: "Coupons",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.CreateTable(
                name: "MemberReferrals",
                columns: table => new
                {
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgramId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReferrerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReferredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    SettledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    QualifyingPurchaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReferrerRewardWithheld = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberReferrals", x => x.MemberId);
                    table.ForeignKey(
                        name: "FK_MemberReferrals_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MemberReferrals_Members_ReferrerId",
                        column: x => x.ReferrerId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MemberReferrals_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReferralRules",
                columns: table => new
                {
                    ProgramId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    BaseUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ReferrerRewardKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReferrerPoints = table.Column<long>(type: "INTEGER", nullable: false),
                    ReferrerRewardId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FriendRewardKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    FriendPoints = table.Column<long>(type: "INTEGER", nullable: false),
                    FriendRewardId = table.Column<Guid>(type: "TEXT", nullable: true),
                    MinPurchaseAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReferralRules", x => x.ProgramId);
                    table.ForeignKey(
                        name: "FK_ReferralRules_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MemberReferrals_ProgramId_Code",
                table: "MemberReferrals",
                columns: new[] { "ProgramId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MemberReferrals_ProgramId_ReferrerId",
                table: "MemberReferrals",
                columns: new[] { "ProgramId", "ReferrerId" });

            migrationBuilder.CreateIndex(
                name: "IX_MemberReferrals_ReferrerId",
                table: "MemberReferrals",
                column: "ReferrerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MemberReferrals");

            migrationBuilder.DropTable(
                name: "ReferralRules");

            migrationBuilder.AlterColumn<Guid>(
                name: "RedeemEntryId",
                table: "Coupons",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);
        }
    }
}
