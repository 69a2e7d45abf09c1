namespace SagaEngine.Host.Projections.Storage;

/// <summary>
/// One of a projection's two sets of tables, blue and green. Versions take turns: version 1 lives in
/// blue, 2 in green, 3 in blue again, so a rebuild writes its new version into the set the live
/// version does not use, and queries move from one set to the other when the rebuild swaps.
/// </summary>
public readonly record struct ProjectionSlot
{
    ProjectionSlot(int index) => Index = index;

    public static readonly ProjectionSlot Blue = new(0);
    public static readonly ProjectionSlot Green = new(1);
    public static readonly IReadOnlyList<ProjectionSlot> All = [Blue, Green];

    public int Index { get; }

    public string Name => Index == 0 ? "blue" : "green";

    public static ProjectionSlot Of(int version) =>
        version >= 1 ? new ProjectionSlot((version - 1) % 2) : throw new ArgumentOutOfRangeException(nameof(version), version, "Versions start at 1.");

    /// <summary>The name of <paramref name="table"/>'s copy in this slot, e.g. <c>sales_green</c>.</summary>
    public string Table(string table) => $"{table}_{Name}";

    public override string ToString() => Name;
}
