using System.Buffers.Binary;
using System.Numerics;

namespace KvDirectory.Storage;

/// <summary>
/// CRC-32C (Castagnoli), the checksum etcd's WAL uses. <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// uses the SSE4.2/ARMv8 instruction when present and a table otherwise, so no extra package is needed.
/// </summary>
public static class Crc32C
{
    /// <summary>Continues <paramref name="crc"/> (a finished checksum, 0 to start) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) state = BitOperations.Crc32C(state, b);
        return ~state;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);
}
