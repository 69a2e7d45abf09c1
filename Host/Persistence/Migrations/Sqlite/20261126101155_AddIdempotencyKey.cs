using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddIdempotencyKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "IdempotencyKey",
                table: "order_intake",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestHash",
                table: "order_intake",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_order_intake_IdempotencyKey",
                table: "order_intake",
                column: "IdempotencyKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_order_intake_IdempotencyKey",
                table: "order_intake");

            migrationBuilder.DropColumn(
                name: "IdempotencyKey",
                table: "order_intake");

            migrationBuilder.DropColumn(
                name: "RequestHash",
                table: "order_intake");
        }
    }
}
