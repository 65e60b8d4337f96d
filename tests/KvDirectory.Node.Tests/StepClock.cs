namespace KvDirectory.Node.Tests;

/// <summary>
/// A clock (wall time, timestamps and timers alike) that moves only when a test advances it. Timers fire on the
/// advancing thread, in due order, so what they do lands between two steps of a simulation, never in the middle of one.
/// </summary>
public sealed class StepClock : TimeProvider
{
    private readonly List<StepTimer> _timers = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public void Advance(TimeSpan by)
    {
        _now += by;
        while (_timers.Where(t => t.DueAt <= _now).MinBy(t => t.DueAt) is { } due)
        {
            due.Fire();
        }
    }

    public void AdvanceMilliseconds(double milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new StepTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class StepTimer(StepClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock._timers.Remove(this);
            _period = period;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                DueAt = clock._now + dueTime;
                clock._timers.Add(this);
            }

            return true;
        }

        public void Fire()
        {
            Change(_period, _period);
            callback(state);
        }

        public void Dispose() => clock._timers.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
