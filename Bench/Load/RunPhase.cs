namespace SagaEngine.Bench.Load;

public enum RunPhase
{
    /// <summary>Orders that warm the host up; verified like every order, left out of the figures.</summary>
    Warmup,

    /// <summary>Orders the figures are computed from.</summary>
    Measured
}
