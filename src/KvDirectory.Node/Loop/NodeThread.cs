using Microsoft.Extensions.Logging;

namespace KvDirectory.Node.Loop;

/// <summary>
/// The node's one thread in production: repeats <see cref="NodeLoop.RunOnce"/>, sleeping until the next tick unless
/// new input wakes it, until the inbox is stopped and drained.
/// </summary>
internal sealed partial class NodeThread
{
    private readonly NodeLoop _loop;
    private readonly NodeInbox _inbox;
    private readonly StatusTracker _status;
    private readonly ILogger _logger;
    private readonly Thread _thread;

    public NodeThread(NodeLoop loop, NodeInbox inbox, StatusTracker status, ILogger logger)
    {
        _loop = loop;
        _inbox = inbox;
        _status = status;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "raft-node" };
    }

    public void Start() => _thread.Start();

    /// <summary>Waits until the thread has handled everything queued before the inbox stopped.</summary>
    public void Join()
    {
        // A flags value: a background thread that never started is Background | Unstarted.
        if ((_thread.ThreadState & System.Threading.ThreadState.Unstarted) == 0)
        {
            _thread.Join();
        }
    }

    private void Run()
    {
        try
        {
            _loop.Begin();
            while (true)
            {
                var wait = _loop.RunOnce();
                if (_loop.IsDone)
                {
                    break;
                }

                if (wait > TimeSpan.Zero)
                {
                    _inbox.Wait(wait);
                }
            }
        }
        catch (Exception error)
        {
            // A failed fsync or a corrupt log leaves the node unable to promise durability: stop serving writes loudly.
            LogLoopFailed(_logger, error);
            _status.MarkFailed();
            _inbox.Stop();
        }
        finally
        {
            _loop.End();
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Critical, Message = "The Raft node loop stopped on an unrecoverable error; writes are refused until the node is restarted")]
    private static partial void LogLoopFailed(ILogger logger, Exception error);
}
