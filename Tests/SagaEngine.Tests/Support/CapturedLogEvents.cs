using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace SagaEngine.Tests.Support;

/// <summary>A Serilog sink for a <see cref="SagaEngineFactory"/> host (its logging reads sinks from its services).</summary>
public sealed class CapturedLogEvents : ILogEventSink
{
    readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => _events.ToList();

    /// <summary>Each event as rendered text with its properties, as a log reader would see it.</summary>
    public IReadOnlyList<string> Lines => _events.Select(e => e.RenderMessage() + " " + string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}"))).ToList();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
