using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EventStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CustomerId",
                table: "payment_ledger",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "event_snapshots",
                columns: table => new
                {
                    StreamId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StateVersion = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "text", nullable: false),
                    TakenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_event_snapshots", x => new { x.StreamId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    Position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Category = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    StreamId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    Type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SchemaVersion = table.Column<int>(type: "integer", nullable: false),
                    Data = table.Column<string>(type: "text", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    CorrelationId = table.Column<Guid>(type: "uuid", nullable: true),
                    CausationId = table.Column<Guid>(type: "uuid", nullable: true),
                    TraceParent = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events", x => x.Position);
                });

            migrationBuilder.CreateTable(
                name: "payment_account_balances",
                columns: table => new
                {
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Charged = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Refunded = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_payment_account_balances", x => new { x.CustomerId, x.Currency });
                });

            migrationBuilder.CreateTable(
                name: "payment_accounts",
                columns: table => new
                {
                    CustomerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_payment_accounts", x => x.CustomerId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_event_snapshots_StreamId_RecordedAt",
                table: "event_snapshots",
                columns: new[] { "StreamId", "RecordedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_events_stream_version",
                table: "events",
                columns: new[] { "Category", "StreamId", "Version" },
                unique: true);

            // Written by hand (EF does not model triggers): the database itself refuses to change or remove
            // an event, whoever asks. Row triggers refuse UPDATE and DELETE, a statement trigger TRUNCATE.
            migrationBuilder.Sql("""
                CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
                        USING ERRCODE = 'restrict_violation', HINT = 'Append a new event that corrects or reverses the old one.';
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
                FOR EACH ROW EXECUTE FUNCTION events_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
                FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER events_no_truncate ON events;");
            migrationBuilder.Sql("DROP TRIGGER events_append_only ON events;");
            migrationBuilder.Sql("DROP FUNCTION events_append_only();");
            migrationBuilder.DropTable(
                name: "event_snapshots");

            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "payment_account_balances");

            migrationBuilder.DropTable(
                name: "payment_accounts");

            migrationBuilder.DropColumn(
                name: "CustomerId",
                table: "payment_ledger");
        }
    }
}
