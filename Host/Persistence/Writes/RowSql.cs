using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
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
        var names = new List<string>();
        var values = new List<string>();
        foreach (var property in _keys.Concat(_columns))
        {
            var value = property.GetGetter().GetClrValueUsingContainingEntity(entity);
            if (property.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && Equals(value, property.Sentinel))
                continue;
            names.Add(Quote(property.GetColumnName()));
            values.Add(Bind(command, property.GetRelationalTypeMapping(), value));
        }
        foreach (var json in _jsonColumns)
        {
            names.Add(Quote(json.Column));
            values.Add(BindJson(command, json, entity));
        }
        return $"INSERT INTO {_table} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)})";
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
        var where = _keys.Select(p => $"{Quote(p.GetColumnName())} = {Bind(command, p.GetRelationalTypeMapping(), p.GetGetter().GetClrValueUsingContainingEntity(entity))}");
        if (_token is not null)
            where = where.Append($"{Quote(_token.GetColumnName())} = {Bind(command, _token.GetRelationalTypeMapping(), originalToken)}");
        return $"UPDATE {_table} SET {string.Join(", ", sets)} WHERE {string.Join(" AND ", where)}";
    }

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
