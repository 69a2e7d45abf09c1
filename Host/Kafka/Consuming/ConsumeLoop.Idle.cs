using System.Diagnostics;
using Confluent.Kafka;

namespace SagaEngine.Host.Kafka.Consuming;

/// <summary>
/// Sleeping while idle, on the embedded broker only. That broker answers a fetch that finds nothing only
/// when the fetch's wait (10 ms) is over, so an endpoint with nothing to read fetched a hundred times a second
/// for as long as the host was idle: most of an idle host's CPU. After <see cref="ConsumeLoopSettings.SleepWhenIdleAfter"/>
/// without a record, the loop pauses its partitions, so librdkafka stops fetching them. What this host produces wakes it
/// at once (<see cref="Wake"/>); records another process produces are found by a look every
/// <see cref="LookEvery"/>, <see cref="LookFor"/> long. A real broker answers a waiting fetch as
/// soon as records arrive, so there the loop never sleeps.
/// </summary>
sealed partial class ConsumeLoop
{
    /// <summary>How often a sleeping loop looks for records this host did not produce (and so did not wake it for).</summary>
    static readonly long LookEvery = Stopwatch.Frequency / 2;

    /// <summary>
    /// How long a look fetches: several of the embedded broker's 10 ms waits, since a resumed partition's first fetch
    /// can take a while to go out on a busy machine (with 20 ms, a loaded test run once missed a record for 20 s).
    /// </summary>
    static readonly TimeSpan LookFor = TimeSpan.FromMilliseconds(100);

    /// <summary>Set while a look is on: the loop polls for no longer than the look lasts.</summary>
    bool _looking;

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
            _looking = false;
            if (_sleeping.Count == 0)
                return;
            _consumer.Resume(_sleeping);
            _sleeping = [];
        }
    }

    /// <summary>How long the next poll may wait: no longer than a look lasts, while one is on.</summary>
    TimeSpan PollWait => _looking ? LookFor : PollTimeout;

    /// <summary>After each poll: notes a record as activity; sleeps once idle long enough; looks now and then while asleep.</summary>
    void SleepWhenIdle(bool gotRecord)
    {
        if (_settings.SleepWhenIdleAfter is not { } idleAfter)
            return;
        var now = Stopwatch.GetTimestamp();
        if (gotRecord)
        {
            Volatile.Write(ref _lastActive, now);
            _looking = false;
            return;
        }

        lock (_sleep)
        {
            if (_sleeping.Count > 0)
            {
                if (now < _nextLook)
                    return;
                // A look: awake for LookFor, after which the loop is idle again unless a record came.
                _consumer.Resume(_sleeping);
                _sleeping = [];
                _looking = true;
                Volatile.Write(ref _lastActive, now - (long)((idleAfter - LookFor).TotalSeconds * Stopwatch.Frequency));
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
            _looking = false;
            _nextLook = now + LookEvery;
        }
    }
}
