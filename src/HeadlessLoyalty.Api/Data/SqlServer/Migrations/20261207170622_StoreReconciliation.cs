using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class StoreReconciliation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StoreReconciliationStates",
                columns: table => new
                {
                    ConnectionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProgramId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OrdersModifiedThrough = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastRunAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastOrdersQueued = table.Column<int>(type: "int", nullable: false),
                    LastWebhooksRepaired = table.Column<int>(type: "int", nullable: false),
                    LastError = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoreReconciliationStates", x => x.ConnectionId);
                    table.ForeignKey(
                        name: "FK_StoreReconciliationStates_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_StoreReconciliationStates_StoreConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "StoreConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StoreReconciliationStates_ProgramId",
                table: "StoreReconciliationStates",
                column: "ProgramId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StoreReconciliationStates");
        }
    }
}
