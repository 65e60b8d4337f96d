using System.Buffers;
using KvDirectory.Wire;

namespace KvDirectory.Store;

/// <summary>
/// The binary form of <see cref="StoreCommand"/>s in the Raft log: a format version byte,
/// a command tag byte, then the fields in declaration order.
/// </summary>
public static class StoreCommandCodec
{
    private const byte FormatVersion = 1;

    private enum Tag : byte
    {
        Set = 1,
        Create = 2,
        Update = 3,
        CompareAndSwap = 4,
        Delete = 5,
        CompareAndDelete = 6,
        ExpireKeys = 7,
        AuthPut = 8,
        AuthDelete = 9,
    }

    public static byte[] Encode(StoreCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new WireWriter(buffer);
        Write(ref writer, command);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the command to <paramref name="w"/> (not flushed), so a caller can frame it without a copy.</summary>
    public static void Write(ref WireWriter w, StoreCommand c)
    {
        ArgumentNullException.ThrowIfNull(c);
        w.Byte(FormatVersion);
        switch (c)
        {
            case SetCommand set:
                w.Byte((byte)Tag.Set);
                w.String(set.Path);
                w.Bool(set.Dir);
                w.String(set.Value);
                w.OptionalTime(set.ExpireTime);
                w.Bool(set.Refresh);
                break;
            case CreateCommand create:
                w.Byte((byte)Tag.Create);
                w.String(create.Path);
                w.Bool(create.Dir);
                w.String(create.Value);
                w.Bool(create.Unique);
                w.OptionalTime(create.ExpireTime);
                break;
            case UpdateCommand update:
                w.Byte((byte)Tag.Update);
                w.String(update.Path);
                w.String(update.Value);
                w.OptionalTime(update.ExpireTime);
                w.Bool(update.Refresh);
                break;
            case CompareAndSwapCommand cas:
                w.Byte((byte)Tag.CompareAndSwap);
                w.String(cas.Path);
                w.String(cas.PrevValue);
                w.SignedVarint(cas.PrevIndex);
                w.String(cas.Value);
                w.OptionalTime(cas.ExpireTime);
                w.Bool(cas.Refresh);
                break;
            case DeleteCommand delete:
                w.Byte((byte)Tag.Delete);
                w.String(delete.Path);
                w.Bool(delete.Dir);
                w.Bool(delete.Recursive);
                break;
            case CompareAndDeleteCommand cad:
                w.Byte((byte)Tag.CompareAndDelete);
                w.String(cad.Path);
                w.String(cad.PrevValue);
                w.SignedVarint(cad.PrevIndex);
                break;
            case ExpireKeysCommand expire:
                w.Byte((byte)Tag.ExpireKeys);
                w.OptionalTime(expire.Now);
                break;
            case AuthPutCommand put:
                w.Byte((byte)Tag.AuthPut);
                w.String(put.Resource);
                w.String(put.Value);
                w.Bool(put.PrevExist);
                break;
            case AuthDeleteCommand delete:
                w.Byte((byte)Tag.AuthDelete);
                w.String(delete.Resource);
                break;
            default:
                throw new ArgumentException($"Unknown command type {c.GetType().Name}.", nameof(c));
        }
    }

    /// <summary>
    /// Whether decoding the command's encoding gives back an equal command, so a member that holds both may apply the
    /// object instead of decoding. Not so for text with a UTF-16 surrogate (a lone one is written as U+FFFD; a text
    /// with any surrogate is not inspected further) nor for a time with an offset (it is read back as UTC).
    /// </summary>
    public static bool DecodesToItself(StoreCommand command) => command switch
    {
        SetCommand c => Plain(c.Path) && Plain(c.Value) && Utc(c.ExpireTime),
        CreateCommand c => Plain(c.Path) && Plain(c.Value) && Utc(c.ExpireTime),
        UpdateCommand c => Plain(c.Path) && Plain(c.Value) && Utc(c.ExpireTime),
        CompareAndSwapCommand c => Plain(c.Path) && Plain(c.PrevValue) && Plain(c.Value) && Utc(c.ExpireTime),
        DeleteCommand c => Plain(c.Path),
        CompareAndDeleteCommand c => Plain(c.Path) && Plain(c.PrevValue),
        ExpireKeysCommand c => Utc(c.Now),
        AuthPutCommand c => Plain(c.Resource) && Plain(c.Value),
        AuthDeleteCommand c => Plain(c.Resource),
        _ => false,
    };

    private static bool Plain(string text) => !text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF');

    private static bool Utc(DateTimeOffset? time) => time is not { Offset.Ticks: not 0 };

    /// <exception cref="WireFormatException">The bytes are not a command this version understands.</exception>
    public static StoreCommand Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new WireReader(bytes);
        r.Version(FormatVersion, "store command");

        StoreCommand command = (Tag)r.Byte() switch
        {
            Tag.Set => new SetCommand(r.String(), r.Bool(), r.String(), r.OptionalTime(), r.Bool()),
            Tag.Create => new CreateCommand(r.String(), r.Bool(), r.String(), r.Bool(), r.OptionalTime()),
            Tag.Update => new UpdateCommand(r.String(), r.String(), r.OptionalTime(), r.Bool()),
            Tag.CompareAndSwap => new CompareAndSwapCommand(r.String(), r.String(), r.SignedVarint(), r.String(), r.OptionalTime(), r.Bool()),
            Tag.Delete => new DeleteCommand(r.String(), r.Bool(), r.Bool()),
            Tag.CompareAndDelete => new CompareAndDeleteCommand(r.String(), r.String(), r.SignedVarint()),
            Tag.ExpireKeys => new ExpireKeysCommand(r.OptionalTime() ?? throw new WireFormatException("Expire command without a time.")),
            Tag.AuthPut => new AuthPutCommand(r.String(), r.String(), r.Bool()),
            Tag.AuthDelete => new AuthDeleteCommand(r.String()),
            var unknown => throw new WireFormatException($"Unknown command tag {(byte)unknown}."),
        };
        r.ExpectEnd();
        return command;
    }
}
