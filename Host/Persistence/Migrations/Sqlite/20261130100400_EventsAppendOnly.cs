using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SagaEngine.Host.Persistence.Providers;

#nullable disable

namespace SagaEngine.Host.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Written by hand (EF does not model triggers): the database itself refuses to change or remove an
    /// event, whoever asks. Must sort after the migration that creates <c>events</c>; a later migration
    /// that makes EF rebuild the table (SQLite alters columns that way) drops these and must add them again.
    /// </summary>
    [DbContext(typeof(SqliteSagaEngineDbContext))]
    [Migration("20261130100400_EventsAppendOnly")]
    public class EventsAppendOnly : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER events_no_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'events is append-only: UPDATE is not allowed'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER events_no_delete BEFORE DELETE ON events
                BEGIN SELECT RAISE(ABORT, 'events is append-only: DELETE is not allowed'); END;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER events_no_delete;");
            migrationBuilder.Sql("DROP TRIGGER events_no_update;");
        }
    }
}
