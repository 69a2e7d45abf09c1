using Microsoft.Extensions.Options;

namespace SagaEngine.Host.Security;

/// <summary>
/// Checks the <c>Security</c> settings at start-up; each failure names the setting. A key's value is
/// never repeated in a message: start-up errors end up in logs.
/// </summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    const string S = SecurityOptions.Section + ":OperatorKeys";

    /// <summary>Short keys can be guessed; 16 random characters cannot.</summary>
    public const int MinKeyLength = 16;

    public const int MaxKeyLength = 512;

    /// <summary>Names go into logs and order history; keep them short enough to read there.</summary>
    public const int MaxNameLength = 64;

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var errors = new List<string>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < options.OperatorKeys.Count; i++)
        {
            var entry = options.OperatorKeys[i];
            if (string.IsNullOrWhiteSpace(entry.Name))
                errors.Add($"{S}:{i}:Name is required: the operator's name, which logs and order history record.");
            else if (entry.Name.Length > MaxNameLength || entry.Name.Any(char.IsControl) || entry.Name.Trim() != entry.Name)
                errors.Add($"{S}:{i}:Name must be 1-{MaxNameLength} characters without control characters or surrounding spaces (was '{entry.Name}').");
            else if (!names.TryAdd(entry.Name, i))
                errors.Add($"{S}:{i}:Name '{entry.Name}' is also the name of {S}:{names[entry.Name]}: each operator needs a name of its own.");

            if (string.IsNullOrEmpty(entry.Key))
                errors.Add($"{S}:{i}:Key is required: the secret operator '{entry.Name}' sends as Authorization: Bearer <key>.");
            else if (entry.Key.Length is < MinKeyLength or > MaxKeyLength)
                errors.Add($"{S}:{i}:Key must be {MinKeyLength}-{MaxKeyLength} characters (was {entry.Key.Length}).");
            else if (entry.Key.Any(c => c is <= ' ' or > '~'))
                errors.Add($"{S}:{i}:Key must be printable ASCII without spaces: it travels in an HTTP header.");
            else if (!keys.TryAdd(entry.Key, i))
                errors.Add($"{S}:{i}:Key is the same as {S}:{keys[entry.Key]}:Key: each operator needs a key of its own, or logs cannot tell them apart.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
