namespace KvDirectory.Cluster.Tests.Linearizability;

internal enum SearchOutcome
{
    Linearizable,
    NotLinearizable,
    TimedOut,
}

/// <summary>
/// Wing &amp; Gong's search with Lowe's memoisation, as Porcupine implements it, over the operations of one key.
/// History events live in a doubly linked list; linearizing an operation lifts its call and return out of the list,
/// backtracking puts them back. Reaching a return event means its operation had to be linearized already: backtrack.
/// </summary>
internal static class KeySearch
{
    private sealed class Entry
    {
        public int Id;
        public long Time;
        public bool IsCall;
        public Entry? Match;
        public Entry? Prev;
        public Entry? Next;
    }

    public static SearchOutcome Check(IReadOnlyList<Operation> operations, SearchBudget budget)
    {
        var count = operations.Count;
        if (count == 0)
        {
            return SearchOutcome.Linearizable;
        }

        var head = BuildList(operations);
        var linearized = new LinearizedSet(count, seed: count);
        var seen = new HashSet<SearchState>();
        var stack = new Stack<(Entry Call, string? StateBefore)>();
        string? state = null;
        var entry = head.Next;

        while (head.Next is not null)
        {
            if (!budget.TrySpend())
            {
                return SearchOutcome.TimedOut;
            }

            if (entry!.IsCall)
            {
                var operation = operations[entry.Id];
                if (KeyValueModel.TryStep(state, operation, out var next))
                {
                    linearized.Add(entry.Id);
                    var probe = linearized.Probe(next);
                    if (!seen.Contains(probe))
                    {
                        seen.Add(probe.Freeze());
                        stack.Push((entry, state));
                        state = next;
                        Lift(entry);
                        entry = head.Next;
                        continue;
                    }

                    linearized.Remove(entry.Id);
                }

                entry = entry.Next;
            }
            else
            {
                if (stack.Count == 0)
                {
                    return SearchOutcome.NotLinearizable;
                }

                var (call, before) = stack.Pop();
                state = before;
                linearized.Remove(call.Id);
                Unlift(call);
                entry = call.Next;
            }
        }

        return SearchOutcome.Linearizable;
    }

    private static Entry BuildList(IReadOnlyList<Operation> operations)
    {
        var events = new List<Entry>(operations.Count * 2);
        for (var id = 0; id < operations.Count; id++)
        {
            var call = new Entry { Id = id, Time = operations[id].Call, IsCall = true };
            var ret = new Entry { Id = id, Time = operations[id].Return, IsCall = false };
            call.Match = ret;
            events.Add(call);
            events.Add(ret);
        }

        // Calls before returns at equal times: touching intervals count as concurrent, never as a false violation.
        events.Sort(static (a, b) =>
        {
            var byTime = a.Time.CompareTo(b.Time);
            if (byTime != 0)
            {
                return byTime;
            }

            var byKind = b.IsCall.CompareTo(a.IsCall);
            return byKind != 0 ? byKind : a.Id.CompareTo(b.Id);
        });

        var head = new Entry { Id = -1 };
        var tail = head;
        foreach (var e in events)
        {
            tail.Next = e;
            e.Prev = tail;
            tail = e;
        }

        return head;
    }

    private static void Lift(Entry call)
    {
        call.Prev!.Next = call.Next;
        call.Next!.Prev = call.Prev;
        var ret = call.Match!;
        ret.Prev!.Next = ret.Next;
        if (ret.Next is not null)
        {
            ret.Next.Prev = ret.Prev;
        }
    }

    private static void Unlift(Entry call)
    {
        var ret = call.Match!;
        ret.Prev!.Next = ret;
        if (ret.Next is not null)
        {
            ret.Next.Prev = ret;
        }

        call.Prev!.Next = call;
        call.Next!.Prev = call;
    }
}
