using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CompensationSequences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RefundSequence",
                table: "order_sagas",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReleaseSequence",
                table: "order_sagas",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RefundSequence",
                table: "order_sagas");

            migrationBuilder.DropColumn(
                name: "ReleaseSequence",
                table: "order_sagas");
        }
    }
}
