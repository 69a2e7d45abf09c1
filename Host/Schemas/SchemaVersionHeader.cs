using System.Globalization;

namespace SagaEngine.Host.Schemas;

/// <summary>The header (and stored column) that says which schema version a message's body was written at.</summary>
public static class SchemaVersionHeader
{
    public const string Name = "schema-version";

    /// <summary>Messages written before versions existed carry none: they are version 1.</summary>
    public const int Unversioned = 1;

    /// <summary>The version a header value states: 1 when there is no header, null when it is not a positive whole number.</summary>
    public static int? Parse(string? value)
    {
        if (value is null)
            return Unversioned;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1 ? version : null;
    }

    public static string Format(int version) => version.ToString(CultureInfo.InvariantCulture);
}
