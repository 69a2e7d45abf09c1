using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SagaEngine.Host.Security;

/// <summary>The configured operator keys, kept only as hashes, and the name each one stands for.</summary>
public sealed class OperatorKeyring
{
    readonly (string Name, byte[] Hash)[] _keys;

    public OperatorKeyring(IOptions<SecurityOptions> options) =>
        _keys = options.Value.OperatorKeys.Select(k => (k.Name!, Hash(k.Key!))).ToArray();

    public bool IsEmpty => _keys.Length == 0;

    public IEnumerable<string> Names => _keys.Select(k => k.Name);

    /// <summary>
    /// The name of the operator whose key was presented, or null. Comparing fixed-length hashes in
    /// constant time, against every key without stopping at a match, lets the time taken reveal
    /// neither a key's content nor its length.
    /// </summary>
    public string? NameOf(string presented)
    {
        var hash = Hash(presented);
        string? found = null;
        foreach (var (name, keyHash) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
                found = name;
        return found;
    }

    static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
