using System.Text;
using KvDirectory.Fuzz.Tests.Generation;

namespace KvDirectory.Fuzz.Tests.Auth;

/// <summary>
/// The users, roles and credentials of the auth-on run (<see cref="AuthSetup"/> makes them), and what the generator may
/// send with them. Root's own credentials never reach a write to the setup (auth enable, the setup's users and roles):
/// such a request goes with the writer's credentials instead, so the run exercises the refusal and cannot lock itself out.
/// </summary>
public sealed class AuthVocabulary
{
    public const string Root = "root";
    public const string RootPassword = "root-pw";
    public const string Writer = "writer";
    public const string WriterPassword = "writer-pw";
    public const string Reader = "reader";
    public const string ReaderPassword = "reader-pw";

    /// <summary>The writer's prefixes (read and write): some of the fuzzed key names, never <c>/oracle</c>.</summary>
    public static readonly string[] WriterKeys = ["/a/*", "/dir/*", "/b"];

    /// <summary>The guest reads <c>/a</c> and writes <c>/c</c>; the reader reads everything and writes nothing.</summary>
    public static readonly string[] GuestRead = ["/a/*"];

    public static readonly string[] GuestWrite = ["/c/*"];

    /// <summary>Auth API targets naming the setup: only ever written with credentials that must be refused.</summary>
    public static readonly string[] ProtectedTargets =
    [
        "/v2/auth/enable", "/v2/auth/users/root", "/v2/auth/users/writer", "/v2/auth/users/reader", "/v2/auth/roles/root",
        "/v2/auth/roles/guest", "/v2/auth/roles/writer-role", "/v2/auth/roles/reader-role",
    ];

    public static string Basic(string user, string password) => Basic(Encoding.UTF8.GetBytes(user + ":" + password));

    public static string Basic(byte[] credentials) => "Basic " + Convert.ToBase64String(credentials);

    public static string RootAuthorization => Basic(Root, RootPassword);

    /// <summary>
    /// Mostly right credentials of each user, then wrong passwords, unknown users, odd bytes and sizes, and the generic
    /// malformed headers. Wrong passwords come from a small set: each new one costs the server a bcrypt (tens of ms).
    /// </summary>
    public static string Authorization(Random random) => random.Next(24) switch
    {
        < 6 => RootAuthorization,
        < 10 => Basic(Writer, WriterPassword),
        < 13 => Basic(Reader, ReaderPassword),
        13 => Basic(Pieces.Pick(random, [Root, Writer, Reader]), "wrong-" + random.Next(3)),
        14 => Basic("nobody" + random.Next(3), "x"),
        15 => Basic([.. "root:"u8, 0xFF, 0xFE, 0xC3, 0x28]),
        16 => Basic([0xC3, 0x28, (byte)':', .. "root-pw"u8]),
        17 => Basic(Root, RootPassword + "\0"),
        18 => Basic(Root, new string('p', Pieces.Pick(random, [73, 5_000, 20_000]))),
        19 => "basic " + RootAuthorization[6..],
        20 => RootAuthorization + ", " + Basic(Writer, WriterPassword),
        _ => Pieces.Authorization(random),
    };

    /// <summary>True when the request would change the setup if root's credentials in any form were honoured.</summary>
    public static bool ChangesSetup(string method, string target, string authorization) =>
        method is not ("GET" or "HEAD") && authorization.Contains(RootAuthorization[6..], StringComparison.Ordinal)
        && ProtectedTargets.Any(t => target.Split('?')[0] == t);
}
