using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Tiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tiers_ProgramId_Rank",
                table: "Tiers");

            migrationBuilder.AlterColumn<decimal>(
                name: "Threshold",
                table: "Tiers",
                type: "TEXT",
                precision: 18,
                scale: 4,
                nullable: false,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<decimal>(
                name: "OnlineMultiplier",
                table: "Tiers",
                type: "TEXT",
                precision: 9,
                scale: 4,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "PosMultiplier",
                table: "Tiers",
                type: "TEXT",
                precision: 9,
                scale: 4,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MemberTiers",
                columns: table => new
                {
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgramId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TierId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AchievedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodStart = table.Column<long>(type: "INTEGER", nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberTiers", x => x.MemberId);
                    table.ForeignKey(
                        name: "FK_MemberTiers_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MemberTiers_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MemberTiers_Tiers_TierId",
                        column: x => x.TierId,
                        principalTable: "Tiers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TierPolicies",
                columns: table => new
                {
                    ProgramId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Metric = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    PeriodEnd = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DefinitionsVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    SweptVersion = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TierPolicies", x => x.ProgramId);
                    table.ForeignKey(
                        name: "FK_TierPolicies_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tiers_ProgramId_Rank",
                table: "Tiers",
                columns: new[] { "ProgramId", "Rank" });

            migrationBuilder.CreateIndex(
                name: "IX_Tiers_ProgramId_Threshold",
                table: "Tiers",
                columns: new[] { "ProgramId", "Threshold" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MemberTiers_ProgramId_ExpiresAt",
                table: "MemberTiers",
                columns: new[] { "ProgramId", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MemberTiers_ProgramId_TierId",
                table: "MemberTiers",
                columns: new[] { "ProgramId", "TierId" });

            migrationBuilder.CreateIndex(
                name: "IX_MemberTiers_TierId",
                table: "MemberTiers",
                column: "TierId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MemberTiers");

            migrationBuilder.DropTable(
                name: "TierPolicies");

            migrationBuilder.DropIndex(
                name: "IX_Tiers_ProgramId_Rank",
                table: "Tiers");

            migrationBuilder.DropIndex(
                name: "IX_Tiers_ProgramId_Threshold",
                table: "Tiers");

            migrationBuilder.DropColumn(
                name: "OnlineMultiplier",
                table: "Tiers");

            migrationBuilder.DropColumn(
                name: "PosMultiplier",
                table: "Tiers");

            migrationBuilder.AlterColumn<long>(
                name: "Threshold",
                table: "Tiers",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "TEXT",
                oldPrecision: 18,
                oldScale: 4);

            migrationBuilder.CreateIndex(
                name: "IX_Tiers_ProgramId_Rank",
                table: "Tiers",
                columns: new[] { "ProgramId", "Rank" },
                unique: true);
        }
    }
}
