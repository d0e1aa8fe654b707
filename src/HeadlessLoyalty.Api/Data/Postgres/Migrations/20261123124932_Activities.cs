using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HeadlessLoyalty.Api.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Activities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ActivityAwards",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProgramId = table.Column<Guid>(type: "uuid", nullable: false),
                    MemberId = table.Column<Guid>(type: "uuid", nullable: false),
                    RuleKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Points = table.Column<long>(type: "bigint", nullable: false),
                    EntryId = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityAwards", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivityAwards_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ActivityAwards_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ActivityRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProgramId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Points = table.Column<long>(type: "bigint", nullable: false),
                    DailyLimit = table.Column<int>(type: "integer", nullable: true),
                    WeeklyLimit = table.Column<int>(type: "integer", nullable: true),
                    MonthlyLimit = table.Column<int>(type: "integer", nullable: true),
                    LifetimeLimit = table.Column<int>(type: "integer", nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivityRules_Programs_ProgramId",
                        column: x => x.ProgramId,
                        principalTable: "Programs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityAwards_MemberId",
                table: "ActivityAwards",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityAwards_ProgramId_MemberId_OccurredAt",
                table: "ActivityAwards",
                columns: new[] { "ProgramId", "MemberId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityAwards_ProgramId_RuleKey_MemberId_Reference",
                table: "ActivityAwards",
                columns: new[] { "ProgramId", "RuleKey", "MemberId", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ActivityRules_ProgramId_Key",
                table: "ActivityRules",
                columns: new[] { "ProgramId", "Key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivityAwards");

            migrationBuilder.DropTable(
                name: "ActivityRules");
        }
    }
}
