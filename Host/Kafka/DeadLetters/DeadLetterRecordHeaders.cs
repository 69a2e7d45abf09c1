using System.Text.Json;
using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.DeadLetters;

/// <summary>
/// A record's headers as the store keeps them: a JSON array of <c>{"name","value"}</c> with each value's
/// bytes in base64, so a replay gives back exactly the bytes that came in, text or not.
/// </summary>
public static class DeadLetterRecordHeaders
{
    public sealed record Header(string Name, byte[] Value);

    public static string Serialize(IEnumerable<Header> headers) => JsonSerializer.Serialize(headers, JsonSerializerOptions.Web);

    public static IReadOnlyList<Header> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<Header>>(json, JsonSerializerOptions.Web) ?? [];

    public static IEnumerable<Header> From(Headers? headers) =>
        (headers ?? []).Select(h => new Header(h.Key, h.GetValueBytes() ?? []));

    public static Headers ToKafka(IEnumerable<Header> headers)
    {
        var result = new Headers();
        foreach (var header in headers)
            result.Add(header.Name, header.Value);
        return result;
    }
}
