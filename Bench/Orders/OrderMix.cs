namespace SagaEngine.Bench.Orders;

/// <summary>
/// How many of each kind of order, as integer weights, turned into a fixed repeating cycle so that the
/// i-th order's kind depends on i alone: two runs with the same mix offer the same orders.
/// </summary>
public sealed class OrderMix
{
    public static readonly OrderMix Default = new(new Dictionary<OrderKind, int>
    {
        [OrderKind.Ok] = 80,
        [OrderKind.Decline] = 10,
        [OrderKind.OutOfStock] = 5,
        [OrderKind.UnknownSku] = 5
    });

    readonly OrderKind[] _cycle;

    public OrderMix(IReadOnlyDictionary<OrderKind, int> weights)
    {
        if (weights.Values.Any(w => w < 0))
            throw new ArgumentException("Mix weights must be 0 or more.", nameof(weights));
        if (weights.Values.Sum() <= 0)
            throw new ArgumentException("At least one mix weight must be more than 0.", nameof(weights));
        Weights = OrderKindNames.All.ToDictionary(k => k.Kind, k => weights.GetValueOrDefault(k.Kind));
        _cycle = Interleave(Reduce(Weights));
    }

    public IReadOnlyDictionary<OrderKind, int> Weights { get; }

    public OrderKind KindOf(long index) => _cycle[index % _cycle.Length];

    public bool Includes(OrderKind kind) => Weights[kind] > 0;

    public override string ToString() =>
        string.Join(",", OrderKindNames.All.Where(k => Weights[k.Kind] > 0).Select(k => $"{k.Name}={Weights[k.Kind]}"));

    /// <summary>80/10/5/5 repeats every 20 orders rather than every 100.</summary>
    static Dictionary<OrderKind, int> Reduce(IReadOnlyDictionary<OrderKind, int> weights)
    {
        var divisor = weights.Values.Where(w => w > 0).Aggregate(0, Gcd);
        return weights.Where(w => w.Value > 0).ToDictionary(w => w.Key, w => w.Value / divisor);
    }

    static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>
    /// Smooth weighted round-robin: each kind is spread evenly over the cycle instead of coming in a
    /// block, so even a short run sees every kind in its share.
    /// </summary>
    static OrderKind[] Interleave(Dictionary<OrderKind, int> weights)
    {
        var total = weights.Values.Sum();
        var current = weights.Keys.ToDictionary(k => k, _ => 0);
        var cycle = new OrderKind[total];
        for (var i = 0; i < total; i++)
        {
            foreach (var kind in weights.Keys)
                current[kind] += weights[kind];
            var pick = weights.Keys.OrderByDescending(k => current[k]).ThenBy(k => k).First();
            current[pick] -= total;
            cycle[i] = pick;
        }
        return cycle;
    }
}
