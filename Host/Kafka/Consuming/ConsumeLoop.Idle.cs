using System.Diagnostics;
using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Sleeping while idle, on the embedded broker only. That broker answers a fetch that finds nothing only
/// when the fetch's wait (10 ms) is over, so an endpoint with nothing to read fetched a hundred times a second
/// for as long as the host was idle: most of an idle host's CPU. After <see cref="ConsumeLoopSettings.SleepWhenIdleAfter"/>
/// without a record, the loop pauses its partitions, so librdkafka stops fetching them. What this host produces wakes it
/// at once (<see cref="Wake"/>); records another process produces are found by a look every
/// <see cref="LookEvery"/>, one poll long. A real broker answers a waiting fetch as soon as records arrive, so
/// there the loop never sleeps.
/// </summary>
sealed partial class ConsumeLoop
{
    /// <summary>How often a sleeping loop looks for records this host did not produce (and so did not wake it for).</summary>
    static readonly long LookEvery = Stopwatch.Frequency;

    readonly Lock _sleep = new();

    /// <summary>The partitions paused for sleeping (none while awake); only under <see cref="_sleep"/>.</summary>
    List<TopicPartition> _sleeping = [];

    long _lastActive = Stopwatch.GetTimestamp();
    long _nextLook;

    /// <summary>Whether the loop sleeps now: for its specs.</summary>
    public bool Sleeping
    {
        get
        {
            lock (_sleep)
                return _sleeping.Count > 0;
        }
    }

    /// <summary>Resumes fetching at once; from any thread (librdkafka's resume is thread-safe).</summary>
    public void Wake()
    {
        lock (_sleep)
        {
            Volatile.Write(ref _lastActive, Stopwatch.GetTimestamp());
            if (_sleeping.Count == 0)
                return;
            _consumer.Resume(_sleeping);
            _sleeping = [];
        }
    }

    /// <summary>After each poll: notes a record as activity; sleeps once idle long enough; looks now and then while asleep.</summary>
    void SleepWhenIdle(bool gotRecord)
    {
        if (_settings.SleepWhenIdleAfter is not { } idleAfter)
            return;
        var now = Stopwatch.GetTimestamp();
        if (gotRecord)
        {
            Volatile.Write(ref _lastActive, now);
            return;
        }

        lock (_sleep)
        {
            if (_sleeping.Count > 0)
            {
                if (now < _nextLook)
                    return;
                // A look: awake for one poll, after which the loop is idle again unless a record came.
                _consumer.Resume(_sleeping);
                _sleeping = [];
                Volatile.Write(ref _lastActive, now - (long)(idleAfter.TotalSeconds * Stopwatch.Frequency) + 1);
                return;
            }

            if (now - Volatile.Read(ref _lastActive) < idleAfter.TotalSeconds * Stopwatch.Frequency
                || _partitions.Values.Any(s => s.Buffered > 0))
                return;
            // Partitions this loop paused for its own reasons (back-pressure, a back-off) stay as they are.
            var sleeping = _partitions.Keys.Where(p => !_paused.Contains(p)).ToList();
            if (sleeping.Count == 0)
                return;
            _consumer.Pause(sleeping);
            _sleeping = sleeping;
            _nextLook = now + LookEvery;
        }
    }
}
