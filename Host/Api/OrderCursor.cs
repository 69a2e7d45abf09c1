using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace SagaEngine.Host.Api;

/// <summary>Where a page of orders ended: the last order's creation time and id, opaque to clients.</summary>
public readonly record struct OrderCursor(DateTime CreatedAt, Guid OrderId)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{CreatedAt.Ticks}:{OrderId:N}"));

    public static bool TryDecode(string value, out OrderCursor cursor)
    {
        cursor = default;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value)).Split(':');
            if (parts.Length != 2
                || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTime.MaxValue.Ticks
                || !Guid.TryParseExact(parts[1], "N", out var id))
                return false;
            cursor = new OrderCursor(new DateTime(ticks, DateTimeKind.Utc), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The <c>after</c> parameter of a page request: null when absent; when it is not a cursor, an error under <c>after</c>.</summary>
    public static OrderCursor? Parse(string? after, Dictionary<string, string[]> errors)
    {
        if (after is null)
            return null;
        if (TryDecode(after, out var cursor))
            return cursor;
        errors["after"] = ["Not a cursor returned by this API as 'next'."];
        return null;
    }

    /// <summary>True when <paramref name="createdAt"/>/<paramref name="id"/> sorts after this cursor, newest first.</summary>
    public bool Precedes(DateTime createdAt, Guid id) =>
        createdAt < CreatedAt || (createdAt == CreatedAt && id.CompareTo(OrderId) < 0);
}
