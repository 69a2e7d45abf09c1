using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SagaEngine.Host.Api;

/// <summary>The rules of the <c>Idempotency-Key</c> header and how a request is recognised as the same again.</summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 100;

    /// <summary>Null when the key is acceptable: 1-100 printable ASCII characters.</summary>
    public static string? Problem(string key) =>
        key.Length is 0 or > MaxLength || key.Any(c => c is < ' ' or > '~')
            ? $"1-{MaxLength} printable characters."
            : null;

    /// <summary>
    /// The same order submitted again hashes the same whatever its JSON's spacing or member order,
    /// because the hash is taken over the parsed request.
    /// </summary>
    public static string Hash(SubmitOrderRequest request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request))));
}
