using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Purchases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EarningRules",
                columns: table => new
                {
                    ProgramId = table.Column<Guid>(type: "uuid", nullable: false),
                    PointsPerCurrencyUnit = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    Rounding = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    MinPointsPerPurchase = table.Column<long>(type: "bigint", nullable: false),
                    MaxPointsPerPurchase = table.Column<long>(type: "bigint", nullable: true),
                    Base = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    WelcomeBonusPoints = table.Column<long>(type: "bigint", nullable: false),
                    PendingDays = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EarningRules", x => x.ProgramId);
                    table.ForeignKey(
                        name: "FK_EarningRules_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Purchases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProgramId = table.Column<Guid>(type: "uuid", nullable: false),
                    MemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StoreId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LocationId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    OrderReference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    Subtotal = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ApprovalDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PointsApprovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PointsEarned = table.Column<long>(type: "bigint", nullable: false),
                    EarnEntryId = table.Column<Guid>(type: "uuid", nullable: true),
                    WelcomeBonus = table.Column<long>(type: "bigint", nullable: false),
                    BonusEntryId = table.Column<Guid>(type: "uuid", nullable: true),
                    RefundedAmount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    PointsReversed = table.Column<long>(type: "bigint", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Purchases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Purchases_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Purchases_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Purchases_MemberId",
                table: "Purchases",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_Purchases_ProgramId_ApprovalDueAt",
                table: "Purchases",
                columns: new[] { "ProgramId", "ApprovalDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Purchases_ProgramId_Channel_StoreId_OrderReference",
                table: "Purchases",
                columns: new[] { "ProgramId", "Channel", "StoreId", "OrderReference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Purchases_ProgramId_MemberId_OccurredAt",
                table: "Purchases",
                columns: new[] { "ProgramId", "MemberId", "OccurredAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EarningRules");

            migrationBuilder.DropTable(
                name: "Purchases");
        }
    }
}
