using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SagaTimeoutsAndScheduledOutboxRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DueAt",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ScheduleToken",
                table: "outbox_messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "InventoryTimeoutToken",
                table: "order_sagas",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PaymentTimeoutToken",
                table: "order_sagas",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RefundRequested",
                table: "order_sagas",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_schedule_token",
                table: "outbox_messages",
                column: "ScheduleToken",
                filter: "\"DeliveredAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_messages_scheduled",
                table: "outbox_messages",
                column: "DueAt",
                filter: "\"DeliveredAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_outbox_messages_schedule_token",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "IX_outbox_messages_scheduled",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "DueAt",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "ScheduleToken",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "InventoryTimeoutToken",
                table: "order_sagas");

            migrationBuilder.DropColumn(
                name: "PaymentTimeoutToken",
                table: "order_sagas");

            migrationBuilder.DropColumn(
                name: "RefundRequested",
                table: "order_sagas");
        }
    }
}
