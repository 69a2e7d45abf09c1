using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace SagaEngine.Host.Persistence.Writes;

/// <summary>
/// The INSERT and UPDATE of one entity type's row, written from its EF mapping (table, columns, type
/// mappings, JSON columns) so that a row sent this way is stored exactly as <c>SaveChanges</c> would store
/// it, without the change tracker or EF's command pipeline. Values the database generates are not read
/// back: this is for rows nobody reads again in the transaction that writes them.
/// </summary>
public sealed class RowSql
{
    static readonly ConcurrentDictionary<(IModel, Type), RowSql?> Known = new();

    // By entity type too: a shared-type entity (one class in several tables) has no entity type of its class alone.
    static readonly ConcurrentDictionary<IEntityType, RowSql?> KnownTypes = new();

    readonly string _table;
    readonly IProperty[] _keys;
    readonly IProperty[] _columns;
    readonly (INavigation Navigation, string Column, RelationalTypeMapping Mapping)[] _jsonColumns;
    readonly IProperty? _token;

    RowSql(IEntityType type)
    {
        _table = Quote(type.GetTableName()!, type.GetSchema());
        _keys = type.FindPrimaryKey()!.Properties.ToArray();
        _columns = type.GetProperties().Where(p => !p.IsPrimaryKey()).ToArray();
        var table = type.GetTableMappings().Single().Table;
        _jsonColumns = type.GetNavigations()
            .Select(n => (n, n.TargetEntityType.GetContainerColumnName()!, table.FindColumn(n.TargetEntityType.GetContainerColumnName()!)!.StoreTypeMapping))
            .ToArray();
        _token = type.GetProperties().SingleOrDefault(p => p.IsConcurrencyToken);
    }

    /// <summary>
    /// The statements for <paramref name="clrType"/> in <paramref name="model"/>; null when its mapping is one
    /// these plain statements cannot write faithfully (inheritance, shared tables, relationships other than
    /// JSON-owned ones, shadow, complex or computed properties, values the database generates on update, JSON
    /// values EF has no reader-writer for). Then the caller lets EF save it.
    /// </summary>
    public static RowSql? For(IModel model, Type clrType) =>
        Known.GetOrAdd((model, clrType), static key => key.Item1.FindEntityType(key.Item2) is { } type && CanWrite(type) ? new RowSql(type) : null);

    /// <summary>The statements for <paramref name="type"/> (a shared-type entity too: one class in several tables); null as above.</summary>
    public static RowSql? For(IEntityType type) =>
        KnownTypes.GetOrAdd(type, static type => CanWrite(type) ? new RowSql(type) : null);

    /// <summary>Whether the type writes JSON columns from navigations: its owned entities are tracked as entries of their own.</summary>
    public bool HasJsonColumns => _jsonColumns.Length > 0;

    /// <summary>Values a row sends: the key, the other columns, the JSON columns, and (for an UPDATE's condition) the token.</summary>
    int ValuesPerRow => _keys.Length + _columns.Length + _jsonColumns.Length + 1;

    static bool CanWrite(IEntityType type) =>
        type.BaseType is null && !type.GetDerivedTypes().Any() && type.GetTableName() is not null
        && type.FindPrimaryKey() is not null
        && !type.GetComplexProperties().Any()
        && type.GetProperties().All(p => !p.IsShadowProperty() && p.GetColumnName() is not null && p.GetComputedColumnSql() is null
                                         && p.ValueGenerated is ValueGenerated.Never or ValueGenerated.OnAdd)
        && type.GetProperties().Count(p => p.IsConcurrencyToken) <= 1
        && type.GetTableMappings().Count() == 1
        && type.GetTableMappings().All(m => m.Table.EntityTypeMappings.All(o => o.TypeBase == type || IsJsonOwned(o.TypeBase)))
        && type.GetNavigations().All(n => n.TargetEntityType.IsMappedToJson() && JsonColumns.CanWrite(n.TargetEntityType))
        && !type.GetSkipNavigations().Any();

    static bool IsJsonOwned(ITypeBase type) => type is IEntityType owned && owned.IsOwned() && owned.IsMappedToJson();

    /// <summary>
    /// The row's INSERT, its values bound to <paramref name="command"/>. A column the database fills on insert
    /// (an identity, a default) is left to it while the entity holds its sentinel, as EF does.
    /// </summary>
    public string Insert(DbCommand command, object entity)
    {
        var columns = Given(entity);
        return $"INSERT INTO {_table} ({ColumnNames(columns)}) VALUES ({Values(command, columns, entity)})";
    }

    /// <summary>
    /// The row's UPDATE of every column, its values bound to <paramref name="command"/>, where the key matches
    /// and, if the type has a concurrency token, where the token still holds <paramref name="originalToken"/>:
    /// it changes one row, or none when someone else changed the row first.
    /// </summary>
    public string Update(DbCommand command, object entity, object? originalToken)
    {
        var sets = _columns.Select(p => $"{Quote(p.GetColumnName())} = {Bind(command, p.GetRelationalTypeMapping(), p.GetGetter().GetClrValueUsingContainingEntity(entity))}")
            .Concat(_jsonColumns.Select(json => $"{Quote(json.Column)} = {BindJson(command, json, entity)}"));
        return $"UPDATE {_table} SET {string.Join(", ", sets)} WHERE {Where(command, entity, originalToken)}";
    }

    /// <summary>The row's DELETE where the key matches and the token still holds <paramref name="originalToken"/>; it returns the row it removed.</summary>
    public string Delete(DbCommand command, object entity, object? originalToken) =>
        $"DELETE FROM {_table} WHERE {Where(command, entity, originalToken)} RETURNING 1";

    string Where(DbCommand command, object entity, object? originalToken)
    {
        var where = _keys.Select(p => $"{Quote(p.GetColumnName())} = {Bind(command, p.GetRelationalTypeMapping(), p.GetGetter().GetClrValueUsingContainingEntity(entity))}");
        if (_token is not null)
            where = where.Append($"{Quote(_token.GetColumnName())} = {Bind(command, _token.GetRelationalTypeMapping(), originalToken)}");
        return string.Join(" AND ", where);
    }

    /// <summary>
    /// INSERTs of many rows, as many to a statement as <paramref name="maxParameters"/> allows: one statement
    /// for the database to parse and plan instead of one a row. Rows that leave different columns to the
    /// database (an identity some rows carry) go in statements of their own.
    /// </summary>
    public IEnumerable<string> InsertRows(DbCommand command, IReadOnlyList<object> entities, int maxParameters)
    {
        foreach (var alike in entities.GroupBy(e => string.Join(",", Given(e).Select(p => p.Name))))
        {
            var columns = Given(alike.First());
            var names = ColumnNames(columns);
            foreach (var chunk in alike.Chunk(RowsPerStatement(maxParameters)))
                yield return $"INSERT INTO {_table} ({names}) VALUES {string.Join(", ", chunk.Select(entity => $"({Values(command, columns, entity)})"))}";
        }
    }

    /// <summary>How many rows one statement of <see cref="InsertRows"/> or <see cref="UpdateRows"/> may carry within <paramref name="maxParameters"/>.</summary>
    public int RowsPerStatement(int maxParameters) => Math.Max(1, maxParameters / ValuesPerRow);

    /// <summary>
    /// One UPDATE of all <paramref name="rows"/> (every column; keep them within <see cref="RowsPerStatement"/>), each
    /// row where its key matches and its token still holds the original given with it. It returns a row for every
    /// row it changed, so the caller can tell whether all of them still had what they were read with.
    /// </summary>
    public string UpdateRows(DbCommand command, IReadOnlyList<(object Entity, object? OriginalToken)> rows)
    {
        // VALUES names its columns column1, column2… on both databases: keys first, then the columns, then the token.
        var keys = _keys.Select((p, i) => $"{_table}.{Quote(p.GetColumnName())} = v.column{i + 1}");
        var sets = _columns.Select((p, i) => $"{Quote(p.GetColumnName())} = v.column{_keys.Length + i + 1}")
            .Concat(_jsonColumns.Select((json, i) => $"{Quote(json.Column)} = v.column{_keys.Length + _columns.Length + i + 1}"));
        if (_token is not null)
            keys = keys.Append($"{_table}.{Quote(_token.GetColumnName())} = v.column{ValuesPerRow}");

        var values = rows.Select((row, r) =>
        {
            // The first row's casts type the VALUES columns, so that PostgreSQL never guesses a type from a null.
            string Value(RelationalTypeMapping mapping, object? value) =>
                r == 0 ? $"CAST({Bind(command, mapping, value)} AS {mapping.StoreType})" : Bind(command, mapping, value);
            var entity = row.Entity;
            var all = _keys.Concat(_columns).Select(p => Value(p.GetRelationalTypeMapping(), p.GetGetter().GetClrValueUsingContainingEntity(entity)))
                .Concat(_jsonColumns.Select(json => Value(json.Mapping, JsonColumns.Write(json.Navigation, json.Navigation.GetGetter().GetClrValueUsingContainingEntity(entity)))))
                .Append(_token is null ? "NULL" : Value(_token.GetRelationalTypeMapping(), row.OriginalToken));
            return "(" + string.Join(", ", all) + ")";
        });
        return $"UPDATE {_table} SET {string.Join(", ", sets)} FROM (VALUES {string.Join(", ", values)}) AS v WHERE {string.Join(" AND ", keys)} RETURNING 1";
    }

    string ColumnNames(IProperty[] columns) =>
        string.Join(", ", columns.Select(p => Quote(p.GetColumnName())).Concat(_jsonColumns.Select(json => Quote(json.Column))));

    string Values(DbCommand command, IProperty[] columns, object entity) =>
        string.Join(", ", columns.Select(p => Bind(command, p.GetRelationalTypeMapping(), p.GetGetter().GetClrValueUsingContainingEntity(entity)))
            .Concat(_jsonColumns.Select(json => BindJson(command, json, entity))));

    /// <summary>The key and columns an INSERT of <paramref name="entity"/> gives: all but those the database fills while the entity holds the sentinel.</summary>
    IProperty[] Given(object entity) =>
        _keys.Concat(_columns).Where(p => !(p.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && Equals(p.GetGetter().GetClrValueUsingContainingEntity(entity), p.Sentinel))).ToArray();

    /// <summary>The value a tracked row's concurrency token was read with; null when its type has none.</summary>
    public object? OriginalToken(EntityEntry entry) => _token is null ? null : entry.OriginalValues[_token];

    /// <summary>The value of the type's concurrency token in <paramref name="entity"/>; null when it has none.</summary>
    public object? Token(object entity) => _token?.GetGetter().GetClrValueUsingContainingEntity(entity);

    /// <summary>Binds <paramref name="value"/> to <paramref name="command"/> as a new parameter; its name, to use in the statement.</summary>
    public static string Bind(DbCommand command, RelationalTypeMapping mapping, object? value)
    {
        var name = $"@p{command.Parameters.Count}";
        // The mapping converts the value and sets the provider's type, exactly as EF's own commands do.
        command.Parameters.Add(mapping.CreateParameter(command, name, value, nullable: value is null));
        return name;
    }

    static string BindJson(DbCommand command, (INavigation Navigation, string Column, RelationalTypeMapping Mapping) json, object entity) =>
        Bind(command, json.Mapping, JsonColumns.Write(json.Navigation, json.Navigation.GetGetter().GetClrValueUsingContainingEntity(entity)));

    // Both providers accept a double-quoted identifier; a schema only where the mapping names one.
    static string Quote(string name, string? schema = null) =>
        schema is null ? $"\"{name}\"" : $"\"{schema}\".\"{name}\"";
}
