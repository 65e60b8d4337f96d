namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>
/// The sequential specification of one etcd v2 key: a register that holds a value or is absent.
/// Deterministic: from a state an operation has exactly one legal output, so the checker only compares.
/// </summary>
public static class KeyValueModel
{
    /// <summary>
    /// Applies <paramref name="input"/> to <paramref name="state"/> (null = absent) and says what a correct server answers.
    /// </summary>
    public static (OperationOutput Output, string? Next) Apply(string? state, OperationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Kind switch
        {
            OperationKind.Get => (state is null ? OperationOutput.NotFound() : OperationOutput.Read(state), state),
            OperationKind.Set => (OperationOutput.Ok(), input.Value),
            OperationKind.CompareAndSwap => state is null
                ? (OperationOutput.NotFound(), state)
                : state == input.PrevValue ? (OperationOutput.Ok(), input.Value) : (OperationOutput.CompareFailed(), state),
            OperationKind.Create => state is null ? (OperationOutput.Ok(), input.Value) : (OperationOutput.KeyExists(), state),
            OperationKind.Delete => state is null ? (OperationOutput.NotFound(), state) : (OperationOutput.Ok(), null),
            OperationKind.CompareAndDelete => state is null
                ? (OperationOutput.NotFound(), state)
                : state == input.PrevValue ? (OperationOutput.Ok(), null) : (OperationOutput.CompareFailed(), state),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Kind, "unknown operation kind"),
        };
    }

    /// <summary>
    /// Whether <paramref name="operation"/> may be linearized at <paramref name="state"/>, and the state after it.
    /// An unknown outcome is consistent with whatever the model answers.
    /// </summary>
    public static bool TryStep(string? state, Operation operation, out string? next)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var (expected, after) = Apply(state, operation.Input);
        next = after;
        return operation.IsUnknown || expected == operation.Output;
    }
}
