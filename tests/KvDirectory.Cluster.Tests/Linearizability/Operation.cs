namespace KvDirectory.Cluster.Tests.Linearizability;

/// <summary>The etcd v2 key operations the register model understands.</summary>
public enum OperationKind
{
    Get,
    Set,
    /// <summary>PUT with prevValue: compare-and-swap on the current value.</summary>
    CompareAndSwap,
    /// <summary>PUT with prevExist=false.</summary>
    Create,
    Delete,
    /// <summary>DELETE with prevValue.</summary>
    CompareAndDelete,
}

/// <summary>What a client observed; <see cref="Unknown"/> when the response never arrived.</summary>
public enum ResultKind
{
    Ok,
    /// <summary>etcd errorCode 100 (or a GET of an absent key).</summary>
    NotFound,
    /// <summary>etcd errorCode 101.</summary>
    CompareFailed,
    /// <summary>etcd errorCode 105.</summary>
    KeyExists,
    /// <summary>Timeout or connection reset: the operation may or may not have taken effect.</summary>
    Unknown,
}

/// <summary>What a client asked for.</summary>
public sealed record OperationInput(OperationKind Kind, string Key, string? Value = null, string? PrevValue = null)
{
    public static OperationInput Get(string key) => new(OperationKind.Get, key);

    public static OperationInput Set(string key, string value) => new(OperationKind.Set, key, value);

    public static OperationInput CompareAndSwap(string key, string prevValue, string value) =>
        new(OperationKind.CompareAndSwap, key, value, prevValue);

    public static OperationInput Create(string key, string value) => new(OperationKind.Create, key, value);

    public static OperationInput Delete(string key) => new(OperationKind.Delete, key);

    public static OperationInput CompareAndDelete(string key, string prevValue) =>
        new(OperationKind.CompareAndDelete, key, PrevValue: prevValue);

    public override string ToString() => Kind switch
    {
        OperationKind.Get => $"Get({Key})",
        OperationKind.Set => $"Set({Key}, {Value})",
        OperationKind.CompareAndSwap => $"CompareAndSwap({Key}, {PrevValue} → {Value})",
        OperationKind.Create => $"Create({Key}, {Value})",
        OperationKind.Delete => $"Delete({Key})",
        OperationKind.CompareAndDelete => $"CompareAndDelete({Key}, {PrevValue})",
        _ => throw new InvalidOperationException($"unknown kind {Kind}"),
    };
}

/// <summary>What a client observed. <see cref="Value"/> is the value a successful Get read.</summary>
public readonly record struct OperationOutput(ResultKind Kind, string? Value = null)
{
    public static OperationOutput Ok() => new(ResultKind.Ok);

    public static OperationOutput Read(string value) => new(ResultKind.Ok, value);

    public static OperationOutput NotFound() => new(ResultKind.NotFound);

    public static OperationOutput CompareFailed() => new(ResultKind.CompareFailed);

    public static OperationOutput KeyExists() => new(ResultKind.KeyExists);

    public static OperationOutput Unknown() => new(ResultKind.Unknown);

    public override string ToString() => Kind switch
    {
        ResultKind.Ok => Value is null ? "ok" : Value,
        ResultKind.NotFound => "not found",
        ResultKind.CompareFailed => "compare failed",
        ResultKind.KeyExists => "key exists",
        ResultKind.Unknown => "? (unknown outcome)",
        _ => throw new InvalidOperationException($"unknown result {Kind}"),
    };
}

/// <summary>
/// One completed (or abandoned) client operation. Times are monotonic ticks from one clock.
/// An unknown outcome returns at <see cref="long.MaxValue"/>: it may take effect at any point after its call, or never.
/// </summary>
public sealed record Operation(int ClientId, long Call, long Return, OperationInput Input, OperationOutput Output)
{
    public const long NeverReturned = long.MaxValue;

    public bool IsUnknown => Output.Kind == ResultKind.Unknown;

    public static Operation Completed(int clientId, long call, long @return, OperationInput input, OperationOutput output)
    {
        if (output.Kind == ResultKind.Unknown)
        {
            throw new ArgumentException("a completed operation has a known output; use Operation.Abandoned", nameof(output));
        }

        if (@return < call)
        {
            throw new ArgumentException($"return {@return} precedes call {call}", nameof(@return));
        }

        return new Operation(clientId, call, @return, input, output);
    }

    public static Operation Abandoned(int clientId, long call, OperationInput input) =>
        new(clientId, call, NeverReturned, input, OperationOutput.Unknown());

    public override string ToString() =>
        $"[c{ClientId}] {Call}→{(Return == NeverReturned ? "∞" : Return.ToString(System.Globalization.CultureInfo.InvariantCulture))}  {Input} → {Output}";
}
