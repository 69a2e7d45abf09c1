namespace SagaEngine.Contracts.Validation;

/// <summary>The rules of one message type, for code that knows the type only at run time.</summary>
public interface IMessageRules
{
    Type MessageType { get; }

    /// <summary>The message's fields (by their JSON names) that some rule checks.</summary>
    IReadOnlyCollection<string> Fields { get; }

    /// <returns>Each bad field's JSON path (<c>items[1].quantity</c>) with what it requires; empty when the message is valid.</returns>
    IReadOnlyDictionary<string, string[]> Validate(object message);
}

/// <summary>
/// The rules of one message type, one line per field: <c>.Field("orderId", m =&gt; m.OrderId, FieldRules.Id)</c>.
/// Every broken rule is reported, each under its field's JSON path.
/// </summary>
public sealed class MessageRules<T> : IMessageRules where T : class
{
    readonly List<Action<T, string, Errors>> _checks = [];
    readonly List<string> _fields = [];

    public Type MessageType => typeof(T);

    public IReadOnlyCollection<string> Fields => _fields;

    public MessageRules<T> Field<TValue>(string name, Func<T, TValue> value, FieldRule<TValue> rule)
    {
        _fields.Add(name);
        _checks.Add((message, path, errors) => errors.Add(path + name, rule.Check(value(message))));
        return this;
    }

    /// <summary>
    /// A list of 1-<see cref="FieldRules.MaxLines"/> lines, each kept to <paramref name="each"/>; with
    /// <paramref name="optional"/>, a message may leave the list out (null), but not send it empty.
    /// </summary>
    public MessageRules<T> Lines<TLine>(string name, Func<T, IReadOnlyList<TLine?>?> lines, MessageRules<TLine> each, bool optional = false)
        where TLine : class
    {
        _fields.Add(name);
        _checks.Add((message, path, errors) =>
        {
            var list = lines(message);
            if (list is null && optional)
                return;
            if (errors.Add(path + name, FieldRules.LineCount.Check(list?.Count)) || list is null)
                return;
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is { } line)
                    each.Check(line, $"{path}{name}[{i}].", errors);
                else
                    errors.Add($"{path}{name}[{i}]", "Required: a line, not null.");
            }
        });
        return this;
    }

    /// <summary>A rule across fields, checked only once every field on its own is valid.</summary>
    public MessageRules<T> Must(string name, Func<T, string?> rule)
    {
        _checks.Add((message, path, errors) =>
        {
            if (errors.Count == 0)
                errors.Add(path + name, rule(message));
        });
        return this;
    }

    public IReadOnlyDictionary<string, string[]> Validate(T message)
    {
        var errors = new Errors();
        Check(message, "", errors);
        return errors.ToDictionary();
    }

    IReadOnlyDictionary<string, string[]> IMessageRules.Validate(object message) => Validate((T)message);

    void Check(T message, string path, Errors errors)
    {
        foreach (var check in _checks)
            check(message, path, errors);
    }
}

/// <summary>What is wrong, by field path, in the order found.</summary>
sealed class Errors
{
    readonly Dictionary<string, List<string>> _byPath = [];

    public int Count => _byPath.Count;

    /// <returns>True when <paramref name="error"/> was one.</returns>
    public bool Add(string path, string? error)
    {
        if (error is null)
            return false;
        if (!_byPath.TryGetValue(path, out var list))
            _byPath[path] = list = [];
        list.Add(error);
        return true;
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _byPath.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
