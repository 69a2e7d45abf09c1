namespace SagaEngine.EventSourcing;

/// <summary>
/// A stream id is <c>{category}-{key}</c>: <c>sku-SKU-1</c>, <c>account-cust-1</c>, <c>order-…</c>. The
/// category (up to the first '-') says which fold and which projections the stream belongs to; the key
/// may itself contain '-'.
/// </summary>
public static class StreamIds
{
    public static string For(string category, string key) => $"{category}-{key}";

    /// <summary>The category and key of <paramref name="streamId"/>, or false when it has no category or no key.</summary>
    public static bool TrySplit(string streamId, out string category, out string key)
    {
        var dash = streamId.IndexOf('-');
        if (dash <= 0 || dash == streamId.Length - 1)
        {
            (category, key) = ("", "");
            return false;
        }
        (category, key) = (streamId[..dash], streamId[(dash + 1)..]);
        return true;
    }

    public static string Category(string streamId) =>
        TrySplit(streamId, out var category, out _)
            ? category
            : throw new ArgumentException($"'{streamId}' is not a stream id of the form category-key.", nameof(streamId));
}
