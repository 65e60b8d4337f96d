using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace KvDirectory.Server.Auth;

/// <summary>
/// bcrypt hashing and checking of v2 passwords. etcd runs bcrypt (cost 10, tens of milliseconds) on every authenticated
/// request; here an answer is remembered, keyed by the user, a digest of the stored hash and a digest of the supplied
/// password, so a repeated request costs two SHA-256 and a lookup. A changed password changes the key; a changed or
/// removed user's entries are dropped (<see cref="Forget"/>); the table is bounded. Clear-text passwords are never kept.
/// </summary>
public sealed class PasswordVerifier
{
    /// <summary>Go's bcrypt.DefaultCost, which etcd uses.</summary>
    public const int WorkFactor = 10;

    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(string User, string Hash, string Supplied), bool> _answers = new();

    public static string Hash(string password) =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(WorkFactor, 'a'));

    public bool Verify(string user, string storedHash, string password)
    {
        var key = (user, Digest(storedHash), Digest(password));
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

    private static string Digest(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
