using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SagaEngine.Host.Persistence.Providers;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Written by hand. PostgreSQL serialises the commits of all transactions that raised NOTIFY (each
    /// holds one database-wide lock from its pre-commit until its commit record is flushed), so a
    /// NOTIFY in every outbox transaction made the whole flow commit one transaction at a time. A
    /// session that says its own process runs a relay (<c>sagaengine.local_relay = on</c>, set by the
    /// host, see <c>ConfiguredDatabase</c>) needs no NOTIFY: that relay is woken in-process and delivers
    /// every host's rows. Anyone else (a host with its relay disabled, a script) still notifies.
    /// </summary>
    [DbContext(typeof(PostgresSagaEngineDbContext))]
    [Migration("20261126113000_NotifyOnlyWithoutLocalRelay")]
    public class NotifyOnlyWithoutLocalRelay : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION outbox_messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF current_setting('sagaengine.local_relay', true) IS DISTINCT FROM 'on' THEN
                        PERFORM pg_notify('outbox_messages', '');
                    END IF;
                    RETURN NULL;
                END $$;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION outbox_messages_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('outbox_messages', '');
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
