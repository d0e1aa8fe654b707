using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.Postgres.Migrations
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProgramId = table.Column<Guid>(type: "uuid", nullable: false),
                    Platform = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ProtectedCredentials = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ProtectedWebhookSecret = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    WebhookIds = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    ManualSetup = table.Column<bool>(type: "boolean", nullable: false),
                    AwardOn = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    PointValue = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    MinRedeemPoints = table.Column<long>(type: "bigint", nullable: false),
                    MaxRedeemPoints = table.Column<long>(type: "bigint", nullable: true),
                    CouponPrefix = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CouponValidityDays = table.Column<int>(type: "integer", nullable: false),
                    ConnectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PausedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResumedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DisconnectedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastDeliveryAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProgramId = table.Column<Guid>(type: "uuid", nullable: false),
                    ConnectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
