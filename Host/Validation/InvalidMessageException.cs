namespace SagaEngine.Host.Validation;

/// <summary>
/// A message that breaks the rules of its type: no redelivery can mend it, so it is not retried, and a
/// transport that dead-letters records does so at once. Generic: it carries field paths and what each
/// requires, nothing of any particular message.
/// </summary>
public sealed class InvalidMessageException(string messageType, IReadOnlyDictionary<string, string[]> errors)
    : Exception($"The {messageType} is not valid: {Describe(errors)}")
{
    public string MessageType => messageType;

    /// <summary>Each bad field's JSON path (<c>items[0].quantity</c>) with what it requires.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => errors;

    static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
