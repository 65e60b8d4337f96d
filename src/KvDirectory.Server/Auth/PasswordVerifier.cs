using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace KvDirectory.Server.Auth;

/// <summary>
/// bcrypt hashing and checking of v2 passwords. etcd runs bcrypt (cost 10, tens of milliseconds) on every authenticated
/// request; here an answer is remembered, keyed by the user, the stored hash and a digest of the supplied password, so a
/// repeated request costs one SHA-256 and a lookup, and allocates nothing. A changed password changes the key; a changed
/// or removed user's entries are dropped (<see cref="Forget"/>); the table is bounded. Clear-text passwords are never kept.
/// </summary>
public sealed class PasswordVerifier
{
    /// <summary>Go's bcrypt.DefaultCost, which etcd uses.</summary>
    public const int WorkFactor = 10;

    private const int MaxEntries = 10_000;

    private const int StackLimit = 256;

    private readonly ConcurrentDictionary<(string User, string Hash, UInt128 Supplied), bool> _answers = new();

    public static string Hash(string password) =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(WorkFactor, 'a'));

    public bool Verify(string user, string storedHash, string password)
    {
        var key = (user, storedHash, Digest(password));
        if (_answers.TryGetValue(key, out var known))
        {
            return known;
        }

        bool answer;
        try
        {
            answer = BCrypt.Net.BCrypt.Verify(password, storedHash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            answer = false;
        }

        if (_answers.Count >= MaxEntries)
        {
            _answers.Clear();
        }

        _answers[key] = answer;
        return answer;
    }

    /// <summary>Drops every remembered answer about <paramref name="user"/> (its record changed or went away).</summary>
    public void Forget(string user)
    {
        foreach (var key in _answers.Keys)
        {
            if (key.User == user)
            {
                _answers.TryRemove(key, out _);
            }
        }
    }

    public int CachedAnswers => _answers.Count;

    /// <summary>The first 128 bits of the password's SHA-256, hashed on the stack (pooled when long).</summary>
    private static UInt128 Digest(string password)
    {
        var most = Encoding.UTF8.GetMaxByteCount(password.Length);
        var rented = most > StackLimit ? ArrayPool<byte>.Shared.Rent(most) : null;
        Span<byte> utf8 = rented is null ? stackalloc byte[StackLimit] : rented;
        try
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(password, utf8)], hash);
            return BinaryPrimitives.ReadUInt128LittleEndian(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }
}
