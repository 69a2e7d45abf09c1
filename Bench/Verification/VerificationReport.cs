namespace SagaEngine.Bench.Verification;

/// <summary>One kind of thing that was wrong, how often, and a few examples to start looking from.</summary>
public sealed record FailureClass(string Name, string Description, int Count, IReadOnlyList<string> Examples);

public sealed record VerificationReport(int OrdersChecked, IReadOnlyList<FailureClass> Failures)
{
    public bool Passed => Failures.Count == 0;

    public int CountOf(string failureClass) => Failures.FirstOrDefault(f => f.Name == failureClass)?.Count ?? 0;
}
