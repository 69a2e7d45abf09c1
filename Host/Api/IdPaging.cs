using System.Globalization;

namespace SagaEngine.Host.Api;

/// <summary>
/// The paging that lists keyed by a positive whole number share (dead letters, parked outbox rows): a
/// <c>limit</c> from 1 to <see cref="MaxPageSize"/> and an <c>after</c> cursor that is an id this API
/// returned as <c>next</c>. Every bad parameter is named in the caller's errors.
/// </summary>
static class IdPaging
{
    public const int MaxPageSize = 500;

    public static long? Read(int limit, string? after, Dictionary<string, string[]> errors)
    {
        if (limit is < 1 or > MaxPageSize)
            errors["limit"] = [$"From 1 to {MaxPageSize}."];
        if (after is null)
            return null;
        if (TryParseId(after, out var cursor))
            return cursor;
        errors["after"] = ["Not a cursor returned by this API as 'next'."];
        return null;
    }

    public static bool TryParseId(string value, out long id) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
}
