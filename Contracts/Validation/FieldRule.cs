namespace SagaEngine.Contracts.Validation;

/// <summary>One rule for one kind of field, as a pure function: null when the value keeps it, else what is required.</summary>
public sealed class FieldRule<T>(Func<T, string?> check)
{
    public string? Check(T value) => check(value);
}
