using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeadLetters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dead_letters",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 249, nullable: false),
                    Partition = table.Column<int>(type: "INTEGER", nullable: false),
                    Offset = table.Column<long>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", nullable: true),
                    Headers = table.Column<string>(type: "TEXT", nullable: false),
                    Body = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Fault = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ExceptionType = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    DeadLetteredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeadLetterTopic = table.Column<string>(type: "TEXT", maxLength: 249, nullable: false),
                    DeadLetterPartition = table.Column<int>(type: "INTEGER", nullable: false),
                    DeadLetterOffset = table.Column<long>(type: "INTEGER", nullable: false),
                    ReplayedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_dead_letters", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_dead_letters_Group_Topic_Partition_Offset",
                table: "dead_letters",
                columns: new[] { "Group", "Topic", "Partition", "Offset" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_dead_letters_Topic_Group_Id",
                table: "dead_letters",
                columns: new[] { "Topic", "Group", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dead_letters");
        }
    }
}
