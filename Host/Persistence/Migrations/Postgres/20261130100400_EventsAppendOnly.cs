using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SagaEngine.Host.Persistence.Providers;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Written by hand (EF does not model triggers): the database itself refuses to change or remove an
    /// event, whoever asks. Row triggers refuse UPDATE and DELETE, a statement trigger TRUNCATE. Must sort
    /// after the migration that creates <c>events</c>.
    /// </summary>
    [DbContext(typeof(PostgresSagaEngineDbContext))]
    [Migration("20261130100400_EventsAppendOnly")]
    public class EventsAppendOnly : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER events_no_truncate ON events;");
            migrationBuilder.Sql("DROP TRIGGER events_append_only ON events;");
            migrationBuilder.Sql("DROP FUNCTION events_append_only();");
        }
    }
}
