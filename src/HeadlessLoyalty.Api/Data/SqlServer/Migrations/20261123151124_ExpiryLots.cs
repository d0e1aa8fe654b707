using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ExpiryLots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastActivityAt",
                table: "Balances",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ExpiryPolicies",
                columns: table => new
                {
                    ProgramId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    LotValidityMonths = table.Column<int>(type: "int", nullable: true),
                    InactivityMonths = table.Column<int>(type: "int", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExpiryPolicies", x => x.ProgramId);
                    table.ForeignKey(
                        name: "FK_ExpiryPolicies_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LotAllocations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProgramId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    LotId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    EntryId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MemberId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Points = table.Column<long>(type: "bigint", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LotAllocations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LotAllocations_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PointsLots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProgramId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MemberId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    EntryId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    EarnedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Points = table.Column<long>(type: "bigint", nullable: false),
                    DebtRepaid = table.Column<long>(type: "bigint", nullable: false),
                    Remaining = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PointsLots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PointsLots_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PointsLots_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LotAllocations_LotId",
                table: "LotAllocations",
                column: "LotId");

            migrationBuilder.CreateIndex(
                name: "IX_LotAllocations_ProgramId_EntryId",
                table: "LotAllocations",
                columns: new[] { "ProgramId", "EntryId" });

            migrationBuilder.CreateIndex(
                name: "IX_PointsLots_MemberId_EarnedAt",
                table: "PointsLots",
                columns: new[] { "MemberId", "EarnedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PointsLots_ProgramId_ExpiresAt",
                table: "PointsLots",
                columns: new[] { "ProgramId", "ExpiresAt" });
            // Balances older than lots become one lot each (id = the member's, unique per balance) that never lapses by
            // date, so the lots of every member add up to their approved points; their last activity starts at their
            // last update, so an inactivity policy does not expire them at once. (EXEC: the idempotent script compiles a
            // batch at once, and the column added above does not exist yet when it does.)
            migrationBuilder.Sql("EXEC(N'INSERT INTO [PointsLots] ([Id], [ProgramId], [MemberId], [EntryId], [EarnedAt], [ExpiresAt], [Points], [DebtRepaid], [Remaining]) SELECT [MemberId], [ProgramId], [MemberId], NULL, [LastUpdatedAt], NULL, [Approved], 0, [Approved] FROM [Balances] WHERE [Approved] > 0')");
            migrationBuilder.Sql("EXEC(N'UPDATE [Balances] SET [LastActivityAt] = [LastUpdatedAt]')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExpiryPolicies");

            migrationBuilder.DropTable(
                name: "LotAllocations");

            migrationBuilder.DropTable(
                name: "PointsLots");

            migrationBuilder.DropColumn(
                name: "LastActivityAt",
                table: "Balances");
        }
    }
}
