using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EventLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DomainEvents_Position",
                table: "DomainEvents");

            migrationBuilder.CreateTable(
                name: "EventConsumers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgramId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Position = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EventConsumers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EventConsumers_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EventRetentionMarks",
                columns: table => new
                {
                    ProgramId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeletedThrough = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EventRetentionMarks", x => x.ProgramId);
                    table.ForeignKey(
                        name: "FK_EventRetentionMarks_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DomainEvents_Position",
                table: "DomainEvents",
                column: "Position",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DomainEvents_Unpositioned",
                table: "DomainEvents",
                columns: new[] { "RecordedAt", "Id" },
                filter: "\"Position\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_EventConsumers_ProgramId_Name",
                table: "EventConsumers",
                columns: new[] { "ProgramId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EventConsumers");

            migrationBuilder.DropTable(
                name: "EventRetentionMarks");

            migrationBuilder.DropIndex(
                name: "IX_DomainEvents_Position",
                table: "DomainEvents");

            migrationBuilder.DropIndex(
                name: "IX_DomainEvents_Unpositioned",
                table: "DomainEvents");

            migrationBuilder.CreateIndex(
                name: "IX_DomainEvents_Position",
                table: "DomainEvents",
                column: "Position");
        }
    }
}
