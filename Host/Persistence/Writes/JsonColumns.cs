using System.Collections;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace SagaEngine.Host.Persistence.Writes;

/// <summary>
/// Writes an owned navigation mapped to a JSON column (<c>OwnsMany(…).ToJson()</c>) as EF writes it: one
/// object per owned instance, each property under its JSON name, written by EF's own reader-writer for its
/// type, and the keys EF keeps out of the document (the owner's key, the ordinal) left out.
/// </summary>
public static class JsonColumns
{
    /// <summary>
    /// False where a property has no JSON reader-writer; such a type is left to EF. A converted property's
    /// reader-writer converts the model value itself, so every value is handed over as the model holds it.
    /// </summary>
    public static bool CanWrite(IEntityType owned) =>
        owned.GetProperties().All(p => p.IsKey() || JsonWriterOf(p) is not null)
        && !owned.GetComplexProperties().Any()
        && owned.GetNavigations().All(n => n.TargetEntityType.IsMappedToJson() && CanWrite(n.TargetEntityType));

    public static string? Write(INavigation navigation, object? value)
    {
        if (value is null)
            return null;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            WriteValue(writer, navigation, value);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    static void WriteValue(Utf8JsonWriter writer, INavigation navigation, object value)
    {
        if (!navigation.IsCollection)
        {
            WriteObject(writer, navigation.TargetEntityType, value);
            return;
        }
        writer.WriteStartArray();
        foreach (var item in (IEnumerable)value)
            WriteObject(writer, navigation.TargetEntityType, item);
        writer.WriteEndArray();
    }

    static void WriteObject(Utf8JsonWriter writer, IEntityType type, object instance)
    {
        writer.WriteStartObject();
        foreach (var property in type.GetProperties())
        {
            if (property.IsKey() || property.GetJsonPropertyName() is not { } name)
                continue;
            writer.WritePropertyName(name);
            var value = property.GetGetter().GetClrValueUsingContainingEntity(instance);
            if (value is null)
                writer.WriteNullValue();
            else
                JsonWriterOf(property)!.ToJson(writer, value);
        }
        foreach (var navigation in type.GetNavigations())
        {
            writer.WritePropertyName(navigation.TargetEntityType.GetJsonPropertyName()!);
            var value = navigation.GetGetter().GetClrValueUsingContainingEntity(instance);
            if (value is null)
                writer.WriteNullValue();
            else
                WriteValue(writer, navigation, value);
        }
        writer.WriteEndObject();
    }

    static Microsoft.EntityFrameworkCore.Storage.Json.JsonValueReaderWriter? JsonWriterOf(IProperty property) =>
        property.GetJsonValueReaderWriter() ?? property.GetTypeMapping().JsonValueReaderWriter;
}
