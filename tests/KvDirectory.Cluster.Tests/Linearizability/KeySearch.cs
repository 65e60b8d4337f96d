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
/// Unknown outcomes make the search exponential in how many are pending, so they get sound reductions:
/// one is linearized only where it changes the state (anywhere else it is equivalent to taking effect after
/// everything, or never); of two pending unknown operations with the same input the earlier-called one goes first
/// (they are interchangeable); each node tries known outcomes before unknown ones; and the memo prunes by dominance
/// (see <see cref="SearchMemo"/>). The search succeeds once every known outcome is linearized.
/// Reads and failed writes are taken greedily (see <see cref="IsPassive"/>). Every reduction is cross-checked
/// against <c>BruteForceChecker</c> and <c>ReferenceChecker</c> by the property tests.
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

        // Ids in call order keep the linearized set a dense prefix plus a short frontier (see LinearizedSet.Probe).
        operations = operations.OrderBy(o => o.Call).ThenBy(o => o.Return).ToList();
        var head = BuildList(operations);
        var twin = EarlierTwins(operations);
        var isLinearized = new bool[count];

        // Known and unknown outcomes are numbered apart: the memo compares the unknown ones by inclusion.
        var index = new int[count];
        var knownCount = 0;
        var unknownCount = 0;
        for (var id = 0; id < count; id++)
        {
            index[id] = operations[id].IsUnknown ? unknownCount++ : knownCount++;
        }

        var linearized = new LinearizedSet(knownCount, seed: count);
        var memo = new SearchMemo(unknownCount);
        var stack = new Stack<(Entry Call, string? StateBefore, bool Forced, bool UnknownPhase)>();

        // Each node first tries its known outcomes, then its unknown ones: a node is then first reached having used
        // as few unknown outcomes as possible, which is what lets the memo's dominance rule prune the rest.
        var unknownPhase = false;
        var knownLeft = operations.Count(o => !o.IsUnknown);
        string? state = null;
        var entry = head.Next;

        while (knownLeft > 0)
        {
            if (!budget.TrySpend())
            {
                return SearchOutcome.TimedOut;
            }

            var deadEnd = !entry!.IsCall;
            if (deadEnd && !unknownPhase)
            {
                unknownPhase = true;
                entry = head.Next;
                continue;
            }

            if (entry.IsCall)
            {
                var operation = operations[entry.Id];
                if (operation.IsUnknown != unknownPhase)
                {
                    entry = entry.Next;
                    continue;
                }

                var passive = IsPassive(operation);
                var worthTrying = !operation.IsUnknown || twin[entry.Id] < 0 || isLinearized[twin[entry.Id]];
                if (worthTrying && KeyValueModel.TryStep(state, operation, out var next) &&
                    (!operation.IsUnknown || !string.Equals(next, state, StringComparison.Ordinal)))
                {
                    Mark(entry.Id, true);
                    if (memo.TryVisit(linearized.Probe(next)))
                    {
                        stack.Push((entry, state, passive, unknownPhase));
                        unknownPhase = false;
                        state = next;
                        isLinearized[entry.Id] = true;
                        knownLeft -= operation.IsUnknown ? 0 : 1;
                        Lift(entry);
                        entry = head.Next;
                        continue;
                    }

                    Mark(entry.Id, false);

                    // A passive operation is taken greedily, so its explored successor failing means this node fails.
                    deadEnd = passive;
                }

                entry = entry.Next;
            }

            if (deadEnd)
            {
                // Undo up to the latest real choice; a forced (passive) step has no alternatives worth trying.
                (Entry Call, string? StateBefore, bool Forced, bool UnknownPhase) frame;
                do
                {
                    if (stack.Count == 0)
                    {
                        return SearchOutcome.NotLinearizable;
                    }

                    frame = stack.Pop();
                    state = frame.StateBefore;
                    Mark(frame.Call.Id, false);
                    isLinearized[frame.Call.Id] = false;
                    knownLeft += operations[frame.Call.Id].IsUnknown ? 0 : 1;
                    Unlift(frame.Call);
                }
                while (frame.Forced);

                entry = frame.Call.Next;
                unknownPhase = frame.UnknownPhase;
            }
        }

        return SearchOutcome.Linearizable;

        void Mark(int id, bool value)
        {
            if (operations[id].IsUnknown)
            {
                memo.SetUnknown(index[id], value);
            }
            else if (value)
            {
                linearized.Add(index[id]);
            }
            else
            {
                linearized.Remove(index[id]);
            }
        }
    }

    /// <summary>
    /// A known outcome that cannot change the register whatever the state: a read, or a write that reported failure.
    /// When it is consistent with the current state it can be linearized right now without loss of generality:
    /// every pending operation returns after its call, so moving it first breaks no real-time order, and it leaves
    /// the state as it found it. Partial-order reduction: reads never multiply the search.
    /// </summary>
    private static bool IsPassive(Operation operation) =>
        !operation.IsUnknown && (operation.Input.Kind == OperationKind.Get || operation.Output.Kind != ResultKind.Ok);

    /// <summary>For each unknown outcome, the latest earlier-called unknown outcome with the same input, or -1.</summary>
    private static int[] EarlierTwins(IReadOnlyList<Operation> operations)
    {
        var twin = new int[operations.Count];
        var last = new Dictionary<OperationInput, int>();
        foreach (var id in Enumerable.Range(0, operations.Count).OrderBy(i => operations[i].Call).ThenBy(i => i))
        {
            twin[id] = -1;
            if (operations[id].IsUnknown)
            {
                twin[id] = last.TryGetValue(operations[id].Input, out var previous) ? previous : -1;
                last[operations[id].Input] = id;
            }
        }

        return twin;
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
