using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ParkedKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DiscardedAt",
                table: "dead_letters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "parked_keys",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 249, nullable: false),
                    Partition = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RetryAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    HeldBy = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ParkedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_parked_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "parked_records",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Group = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 249, nullable: false),
                    Partition = table.Column<int>(type: "INTEGER", nullable: false),
                    Offset = table.Column<long>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    Headers = table.Column<string>(type: "TEXT", nullable: false),
                    Body = table.Column<byte[]>(type: "BLOB", nullable: true),
                    ParkedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_parked_records", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_parked_keys_Group_Topic_Partition_Key",
                table: "parked_keys",
                columns: new[] { "Group", "Topic", "Partition", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_parked_records_Group_Topic_Partition_Key_Offset",
                table: "parked_records",
                columns: new[] { "Group", "Topic", "Partition", "Key", "Offset" });

            migrationBuilder.CreateIndex(
                name: "IX_parked_records_Group_Topic_Partition_Offset",
                table: "parked_records",
                columns: new[] { "Group", "Topic", "Partition", "Offset" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "parked_keys");

            migrationBuilder.DropTable(
                name: "parked_records");

            migrationBuilder.DropColumn(
                name: "DiscardedAt",
                table: "dead_letters");
        }
    }
}
