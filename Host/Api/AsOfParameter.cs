using System.Globalization;
using System.Text.RegularExpressions;

namespace SagaEngine.Host.Api;

/// <summary>
/// The <c>asOf</c> query parameter of the temporal queries: an ISO 8601 date, or date and time, with a
/// <c>Z</c> or an offset (a time without one is UTC). A '+' that reached the query unescaped arrives as
/// a space and is read as the '+' it was.
/// </summary>
public static partial class AsOfParameter
{
    public const string Name = "asOf";

    public const string Expected = "An ISO 8601 time such as 2026-11-26T10:15:00Z (or a date, 2026-11-26, for its midnight UTC).";

    public static bool TryParse(string? raw, out DateTime? asOf)
    {
        asOf = null;
        if (raw is null)
            return true;
        var text = raw.Trim();
        var plusAsSpace = PlusAsSpace().Match(text);
        if (plusAsSpace.Success)
            text = text[..plusAsSpace.Index] + "+" + text[(plusAsSpace.Index + 1)..];
        if (!Iso8601().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return false;
        asOf = time.UtcDateTime;
        return true;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?\z")]
    private static partial Regex Iso8601();

    [GeneratedRegex(@"(?<=T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?) (?=\d{2}:?\d{2}\z)")]
    private static partial Regex PlusAsSpace();
}
