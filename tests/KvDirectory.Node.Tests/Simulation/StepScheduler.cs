namespace KvDirectory.Node.Tests.Simulation;

/// <summary>
/// The node's "background" (<see cref="NodeOptions.BackgroundScheduler"/>) made deterministic: queued work runs only
/// when the simulation says so, on its own thread, so a crash can land between a save's start and its end. A wait
/// on queued work (the node waits for a save before installing a leader's snapshot) runs it inline, as it would
/// have finished meanwhile.
/// </summary>
internal sealed class StepScheduler : TaskScheduler
{
    private readonly Queue<Task> _queue = new();

    public bool HasWork => _queue.Count > 0;

    /// <summary>Runs everything queued so far (and whatever it queues in turn).</summary>
    public void RunAll()
    {
        while (_queue.TryDequeue(out var task))
        {
            TryExecuteTask(task);
        }
    }

    /// <summary>The process died: queued work never runs.</summary>
    public void Forget() => _queue.Clear();

    protected override void QueueTask(Task task) => _queue.Enqueue(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue;
}
