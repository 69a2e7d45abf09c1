using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReadModelProjections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "customer_orders_blue",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Total = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Lines = table.Column<int>(type: "integer", nullable: false),
                    FailureReason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_orders_blue", x => x.OrderId);
                });

            migrationBuilder.CreateTable(
                name: "customer_orders_green",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Total = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Lines = table.Column<int>(type: "integer", nullable: false),
                    FailureReason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_orders_green", x => x.OrderId);
                });

            migrationBuilder.CreateTable(
                name: "order_stats_cancellations_blue",
                columns: table => new
                {
                    Minute = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_stats_cancellations_blue", x => new { x.Minute, x.Reason });
                });

            migrationBuilder.CreateTable(
                name: "order_stats_cancellations_green",
                columns: table => new
                {
                    Minute = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_stats_cancellations_green", x => new { x.Minute, x.Reason });
                });

            migrationBuilder.CreateTable(
                name: "order_stats_durations_blue",
                columns: table => new
                {
                    Minute = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Bucket = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_stats_durations_blue", x => new { x.Minute, x.Bucket });
                });

            migrationBuilder.CreateTable(
                name: "order_stats_durations_green",
                columns: table => new
                {
                    Minute = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Bucket = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_stats_durations_green", x => new { x.Minute, x.Bucket });
                });

            migrationBuilder.CreateTable(
                name: "order_stats_minutes_blue",
                columns: table => new
                {
                    Minute = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Submitted = table.Column<long>(type: "bigint", nullable: false),
                    Confirmed = table.Column<long>(type: "bigint", nullable: false),
                    Cancelled = table.Column<long>(type: "bigint", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_stats_minutes_blue", x => x.Minute);
                });

            migrationBuilder.CreateTable(
                name: "order_stats_minutes_green",
                columns: table => new
                {
                    Minute = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Submitted = table.Column<long>(type: "bigint", nullable: false),
                    Confirmed = table.Column<long>(type: "bigint", nullable: false),
                    Cancelled = table.Column<long>(type: "bigint", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_stats_minutes_green", x => x.Minute);
                });

            migrationBuilder.CreateTable(
                name: "projection_held_events",
                columns: table => new
                {
                    Projection = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    MessageType = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    SchemaVersion = table.Column<int>(type: "integer", nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    HeldSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projection_held_events", x => new { x.Projection, x.Version, x.Key, x.Sequence });
                });

            migrationBuilder.CreateTable(
                name: "projection_keys",
                columns: table => new
                {
                    Projection = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LastSequence = table.Column<int>(type: "integer", nullable: true),
                    Held = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "text", nullable: true),
                    AppliedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projection_keys", x => new { x.Projection, x.Version, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "projection_positions",
                columns: table => new
                {
                    Projection = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Topic = table.Column<string>(type: "character varying(249)", maxLength: 249, nullable: false),
                    Partition = table.Column<int>(type: "integer", nullable: false),
                    NextOffset = table.Column<long>(type: "bigint", nullable: false),
                    AppliedThrough = table.Column<long>(type: "bigint", nullable: false),
                    LastEventAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projection_positions", x => new { x.Projection, x.Version, x.Topic, x.Partition });
                });

            migrationBuilder.CreateTable(
                name: "projection_versions",
                columns: table => new
                {
                    Projection = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Active = table.Column<int>(type: "integer", nullable: false),
                    LastVersion = table.Column<int>(type: "integer", nullable: false),
                    Rebuilding = table.Column<int>(type: "integer", nullable: true),
                    RebuildStartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RebuildHeartbeatAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RebuildPhase = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    RebuildEvents = table.Column<long>(type: "bigint", nullable: false),
                    RebuildHistoryPosition = table.Column<long>(type: "bigint", nullable: true),
                    RebuildHistoryEnd = table.Column<long>(type: "bigint", nullable: true),
                    RebuildBehind = table.Column<long>(type: "bigint", nullable: true),
                    LastRebuildVersion = table.Column<int>(type: "integer", nullable: true),
                    LastRebuildOutcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    LastRebuildError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    LastRebuildFinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastRebuildEvents = table.Column<long>(type: "bigint", nullable: true),
                    LastRebuildSeconds = table.Column<double>(type: "double precision", nullable: true),
                    SwappedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Retired = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_projection_versions", x => x.Projection);
                });

            migrationBuilder.CreateTable(
                name: "sales_blue",
                columns: table => new
                {
                    Sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Units = table.Column<long>(type: "bigint", nullable: false),
                    Revenue = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sales_blue", x => new { x.Sku, x.Currency, x.Hour });
                });

            migrationBuilder.CreateTable(
                name: "sales_green",
                columns: table => new
                {
                    Sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Units = table.Column<long>(type: "bigint", nullable: false),
                    Revenue = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sales_green", x => new { x.Sku, x.Currency, x.Hour });
                });

            migrationBuilder.CreateIndex(
                name: "IX_customer_orders_blue_CustomerId_CreatedAt_OrderId",
                table: "customer_orders_blue",
                columns: new[] { "CustomerId", "CreatedAt", "OrderId" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_orders_blue_CustomerId_State_CreatedAt_OrderId",
                table: "customer_orders_blue",
                columns: new[] { "CustomerId", "State", "CreatedAt", "OrderId" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_orders_green_CustomerId_CreatedAt_OrderId",
                table: "customer_orders_green",
                columns: new[] { "CustomerId", "CreatedAt", "OrderId" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_orders_green_CustomerId_State_CreatedAt_OrderId",
                table: "customer_orders_green",
                columns: new[] { "CustomerId", "State", "CreatedAt", "OrderId" });

            migrationBuilder.CreateIndex(
                name: "IX_projection_held_events_Projection_Version_HeldSince",
                table: "projection_held_events",
                columns: new[] { "Projection", "Version", "HeldSince" });

            migrationBuilder.CreateIndex(
                name: "IX_sales_blue_Hour",
                table: "sales_blue",
                column: "Hour");

            migrationBuilder.CreateIndex(
                name: "IX_sales_green_Hour",
                table: "sales_green",
                column: "Hour");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customer_orders_blue");

            migrationBuilder.DropTable(
                name: "customer_orders_green");

            migrationBuilder.DropTable(
                name: "order_stats_cancellations_blue");

            migrationBuilder.DropTable(
                name: "order_stats_cancellations_green");

            migrationBuilder.DropTable(
                name: "order_stats_durations_blue");

            migrationBuilder.DropTable(
                name: "order_stats_durations_green");

            migrationBuilder.DropTable(
                name: "order_stats_minutes_blue");

            migrationBuilder.DropTable(
                name: "order_stats_minutes_green");

            migrationBuilder.DropTable(
                name: "projection_held_events");

            migrationBuilder.DropTable(
                name: "projection_keys");

            migrationBuilder.DropTable(
                name: "projection_positions");

            migrationBuilder.DropTable(
                name: "projection_versions");

            migrationBuilder.DropTable(
                name: "sales_blue");

            migrationBuilder.DropTable(
                name: "sales_green");
        }
    }
}
