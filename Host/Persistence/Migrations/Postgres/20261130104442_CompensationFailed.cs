using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CompensationFailed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CompensationRetries",
                table: "order_sagas",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "CompensationTimeoutToken",
                table: "order_sagas",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RefundPending",
                table: "order_sagas",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "ReleasePending",
                table: "order_sagas",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CompensationRetries",
                table: "order_sagas");

            migrationBuilder.DropColumn(
                name: "CompensationTimeoutToken",
                table: "order_sagas");

            migrationBuilder.DropColumn(
                name: "RefundPending",
                table: "order_sagas");

            migrationBuilder.DropColumn(
                name: "ReleasePending",
                table: "order_sagas");
        }
    }
}
