using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SagaEngine.EventSourcing;

namespace SagaEngine.Host.EventStore.Projections;

/// <summary>
/// Rebuilds an inline projection from its streams, and checks it against them. Both fold every stream
/// from its first event without holding anything; writers go on meanwhile. A rebuild then writes each
/// row that differs in a short transaction that holds the row's lock (as an appender of the stream
/// would), first folding whatever was appended since the fold read. A check compares each row with its
/// stream folded exactly to the row's version.
/// </summary>
public sealed class InlineProjectionRunner(DbContext db, IEnumerable<IInlineProjection> projections, CategoryFold folds)
{
    /// <summary>Rows locked and written per transaction.</summary>
    const int Batch = 100;

    public IInlineProjection? Find(string name) => projections.FirstOrDefault(p => p.Name == name);

    public IReadOnlyList<string> Names => projections.Select(p => p.Name).ToList();

    public async Task<RebuildReport> Rebuild(IInlineProjection projection, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (streams, events) = await folds.All(projection.Fold, cancellationToken);
        var before = (await projection.ReadRows(cancellationToken)).ToDictionary(r => r.StreamId, StringComparer.Ordinal);
        var written = 0;
        foreach (var batch in streams.Values.OrderBy(s => s.StreamId, StringComparer.Ordinal).Chunk(Batch))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var folded in batch)
            {
                var locked = await projection.LockRow(folded.StreamId, cancellationToken);
                // Appended since the fold read; the row's lock keeps anything more from coming now.
                var row = await folds.Tail(projection.Fold, folded, null, cancellationToken);
                events += row.Version - folded.Version;
                var unchanged = locked == row.Version && before.TryGetValue(row.StreamId, out var live)
                                && live.Version == row.Version && Equals(live.State, row.State);
                if (unchanged)
                    continue;
                await projection.WriteRow(row, cancellationToken);
                written++;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return new RebuildReport(projection.Name, streams.Count, events, written, clock.Elapsed.TotalSeconds);
    }

    public async Task<CheckReport> Check(IInlineProjection projection, CancellationToken cancellationToken)
    {
        // Events first, rows after: a row then reflects at least every event read (they commit together).
        var (streams, events) = await folds.All(projection.Fold, cancellationToken);
        var streamCount = streams.Count;
        var rows = await projection.ReadRows(cancellationToken);
        var differences = new List<RowDifference>();
        foreach (var row in rows)
        {
            if (!streams.Remove(row.StreamId, out var folded))
            {
                differences.Add(new RowDifference(row.StreamId, View(projection, row), null));
                continue;
            }
            if (row.Version > folded.Version)
            {
                // Appended between the two reads: fold exactly to the row's version.
                var since = folded.Version;
                folded = await folds.Tail(projection.Fold, folded, row.Version, cancellationToken);
                events += folded.Version - since;
            }
            if (row.Version != folded.Version || !Equals(row.State, folded.State))
                differences.Add(new RowDifference(row.StreamId, View(projection, row), View(projection, folded)));
        }
        differences.AddRange(streams.Values.Select(s => new RowDifference(s.StreamId, null, View(projection, s))));
        return new CheckReport(projection.Name, streamCount, events, rows.Count,
            differences.OrderBy(d => d.StreamId, StringComparer.Ordinal).ToList());
    }

    static RowView View(IInlineProjection projection, ProjectedRow row) =>
        new(row.Version, JsonSerializer.SerializeToElement(row.State, projection.Fold.StateType, EventStoreJson.Options));
}
