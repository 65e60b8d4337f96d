namespace KvDirectory.Store;

/// <summary>
/// What <see cref="V2Store.WriteGet"/> answered at <paramref name="EtcdIndex"/>: written to the caller's buffer, or, when
/// <paramref name="KeptJson"/> is set, that array (a listing the cache keeps or just considered keeping; it may be shared:
/// send it, never change it).
/// </summary>
public readonly record struct GetAnswer(long EtcdIndex, byte[]? KeptJson);
