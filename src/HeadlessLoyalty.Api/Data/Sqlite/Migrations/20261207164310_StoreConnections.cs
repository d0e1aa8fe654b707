using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class StoreConnections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StoreConnections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgramId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Platform = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ProtectedCredentials = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ProtectedWebhookSecret = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    WebhookIds = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ManualSetup = table.Column<bool>(type: "INTEGER", nullable: false),
                    AwardOn = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    PointValue = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    MinRedeemPoints = table.Column<long>(type: "INTEGER", nullable: false),
                    MaxRedeemPoints = table.Column<long>(type: "INTEGER", nullable: true),
                    CouponPrefix = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CouponValidityDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ConnectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PausedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResumedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DisconnectedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastDeliveryAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoreConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StoreConnections_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "StoreAuditEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgramId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConnectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoreAuditEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StoreAuditEntries_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_StoreAuditEntries_StoreConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "StoreConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StoreAuditEntries_ConnectionId_OccurredAt",
                table: "StoreAuditEntries",
                columns: new[] { "ConnectionId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_StoreAuditEntries_ProgramId_OccurredAt",
                table: "StoreAuditEntries",
                columns: new[] { "ProgramId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_StoreConnections_ProgramId_Url",
                table: "StoreConnections",
                columns: new[] { "ProgramId", "Url" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StoreAuditEntries");

            migrationBuilder.DropTable(
                name: "StoreConnections");
        }
    }
}
