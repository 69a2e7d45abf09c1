using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SagaEngine.Host.Persistence.Providers;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Written by hand (EF does not model triggers): every transaction that inserts outbox rows notifies
    /// the channel <c>outbox_messages</c> when it commits, which wakes every listening relay at once.
    /// PostgreSQL folds the notifications of one transaction into one. See <c>PostgresOutboxListener</c>.
    /// </summary>
    [DbContext(typeof(PostgresSagaEngineDbContext))]
    [Migration("20261126090228_OutboxNotifyTrigger")]
    public class OutboxNotifyTrigger : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION outbox_messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('outbox_messages', '');
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER outbox_messages_notify AFTER INSERT ON outbox_messages
                FOR EACH STATEMENT EXECUTE FUNCTION outbox_messages_notify();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER outbox_messages_notify ON outbox_messages;");
            migrationBuilder.Sql("DROP FUNCTION outbox_messages_notify();");
        }
    }
}
