using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Tests.Support;

/// <summary>Every row of every table the host's model maps, as text, so a spec can show that nothing changed.</summary>
public static class TableSnapshot
{
    public static Task<IReadOnlyList<string>> Take(SagaEngineFactory host, params Type[] except) => host.Query(async db =>
    {
        var tables = db.Model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && !except.Contains(e.ClrType))
            .Select(e => (Schema: e.GetSchema(), Name: e.GetTableName()!))
            .Distinct()
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        var rows = new List<string>();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var (schema, name) in tables)
                rows.AddRange(await Rows(db.Database.GetDbConnection(), schema, name));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return (IReadOnlyList<string>)rows;
    });

    static async Task<IEnumerable<string>> Rows(DbConnection connection, string? schema, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {(schema is null ? "" : $"\"{schema}\".")}\"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add($"{table}: " + string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => Text(reader.GetValue(i)))));
        return rows.Order(StringComparer.Ordinal);
    }

    static string Text(object value) => value switch
    {
        DBNull => "null",
        byte[] bytes => Convert.ToHexString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""
    };
}
