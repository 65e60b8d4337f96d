namespace KvDirectory.Store;

/// <summary>
/// What <see cref="V2Store.WriteGet"/> answered at <paramref name="EtcdIndex"/>: written to the caller's buffer, or, when
/// <paramref name="KeptJson"/> is set, that JSON (shared and never changed: send it, do not modify it).
/// </summary>
public readonly record struct GetAnswer(long EtcdIndex, byte[]? KeptJson);
