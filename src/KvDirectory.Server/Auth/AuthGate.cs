using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KvDirectory.Protocol.Auth;
using KvDirectory.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KvDirectory.Server.Auth;

/// <summary>
/// Who a request is and what it may do, decided as etcd's v2http decides: with auth off everything is allowed; an
/// <c>Authorization</c> header must be valid HTTP Basic credentials of a user with the right password; without one,
/// and with <c>--client-cert-auth</c>, the client certificate's common name names the user; otherwise the request is
/// the guest (for keys only — root-only endpoints refuse it).
/// </summary>
public sealed partial class AuthGate(AuthRegistry registry, PasswordVerifier passwords, IOptions<ServerOptions> options, ILogger<AuthGate> logger)
{
    private static readonly SearchValues<char> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private readonly bool _clientCertAuth = options.Value.ClientCertAuth;

    public bool Enabled => registry.Enabled;

    /// <summary>etcd's rule for members and <c>/v2/auth/enable</c>: reads are open, changes need root.</summary>
    public bool HasWriteRootAccess(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HasRootAccess(context);

    public bool HasRootAccess(HttpContext context)
    {
        var snapshot = registry.Current;
        if (!snapshot.Enabled)
        {
            return true;
        }

        var user = HasAuthorization(context) || !_clientCertAuth ? UserFromBasicAuth(context, snapshot) : UserFromCertificate(context, snapshot);
        if (user is null)
        {
            return false;
        }

        if ((user.Roles ?? []).Contains(AuthRules.RootName))
        {
            return true;
        }

        LogNotRoot(logger, user.User!, context.Request.Path.Value ?? string.Empty);
        return false;
    }

    /// <summary>Access to <paramref name="key"/> (the raw decoded path after <c>/v2/keys</c>), for writing unless GET/HEAD.</summary>
    public bool HasKeyAccess(HttpContext context, string key, bool recursive) =>
        HasKeyAccess(context, key, recursive, write: !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method));

    public bool HasKeyAccess(HttpContext context, string key, bool recursive, bool write)
    {
        var snapshot = registry.Current;
        if (!snapshot.Enabled)
        {
            return true;
        }

        AuthUser? user;
        if (!HasAuthorization(context))
        {
            user = _clientCertAuth ? UserFromCertificate(context, snapshot) : null;
            if (user is null)
            {
                // The guest is checked with exact and prefix patterns even for recursive requests, as etcd does.
                return snapshot.FindRole(AuthRules.GuestName) is { } guest && AuthRules.HasKeyAccess(guest, key, write, recursive: false);
            }
        }
        else
        {
            user = UserFromBasicAuth(context, snapshot);
            if (user is null)
            {
                return false;
            }
        }

        foreach (var roleName in user.Roles ?? [])
        {
            if (snapshot.FindRole(roleName) is { } role && AuthRules.HasKeyAccess(role, key, write, recursive))
            {
                return true;
            }
        }

        LogNoKeyAccess(logger, user.User!, key);
        return false;
    }

    /// <summary>
    /// The keys this request may read, one by one, for answers that list many (the explorer's search by a user who
    /// cannot read the whole tree): the user is resolved once, and a key refused is left out, not logged.
    /// </summary>
    public Func<string, bool> ReadableKeys(HttpContext context)
    {
        var snapshot = registry.Current;
        if (!snapshot.Enabled)
        {
            return static _ => true;
        }

        var hasAuthorization = HasAuthorization(context);
        var user = hasAuthorization ? UserFromBasicAuth(context, snapshot) : _clientCertAuth ? UserFromCertificate(context, snapshot) : null;
        if (user is null && hasAuthorization)
        {
            return static _ => false;
        }

        AuthRole[] roles = user is null
            ? (snapshot.FindRole(AuthRules.GuestName) is { } guest ? [guest] : [])
            : [.. (user.Roles ?? []).Select(snapshot.FindRole).OfType<AuthRole>()];
        return key => roles.Any(role => AuthRules.HasKeyAccess(role, key, write: false, recursive: false));
    }

    /// <summary>
    /// Who the request is, for pages that show it (the explorer's sign-in): false when credentials were sent and are
    /// wrong; otherwise the user, or null for the guest (no credentials, or auth off).
    /// </summary>
    public bool TryIdentify(HttpContext context, out AuthUser? user)
    {
        var snapshot = registry.Current;
        user = null;
        if (!snapshot.Enabled)
        {
            return true;
        }

        if (HasAuthorization(context))
        {
            user = UserFromBasicAuth(context, snapshot);
            return user is not null;
        }

        user = _clientCertAuth ? UserFromCertificate(context, snapshot) : null;
        return true;
    }

    private static bool HasAuthorization(HttpContext context) => context.Request.Headers.Authorization.FirstOrDefault() is { Length: > 0 };

    private AuthUser? UserFromBasicAuth(HttpContext context, AuthSnapshot snapshot)
    {
        if (!TryParseBasic(context.Request.Headers.Authorization.FirstOrDefault(), out var name, out var password))
        {
            LogMalformedBasic(logger);
            return null;
        }

        if (!snapshot.Users.TryGetValue(name, out var user))
        {
            return null;
        }

        if (!passwords.Verify(name, user.Password ?? string.Empty, password))
        {
            LogWrongPassword(logger, name);
            return null;
        }

        return user;
    }

    /// <summary>The verified client certificate's common name, when a user has that name.</summary>
    private static AuthUser? UserFromCertificate(HttpContext context, AuthSnapshot snapshot)
    {
        var certificate = context.Connection.ClientCertificate;
        var commonName = certificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return commonName is { Length: > 0 } && snapshot.Users.TryGetValue(commonName, out var user) ? user : null;
    }

    /// <summary>
    /// Go's <c>Request.BasicAuth</c>: the scheme case-insensitive, standard padded base64 (line breaks ignored), the
    /// first colon splitting user from password.
    /// </summary>
    public static bool TryParseBasic(string? header, out string user, out string password)
    {
        user = password = string.Empty;
        const string Scheme = "Basic ";
        if (header is null || header.Length < Scheme.Length || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = header[Scheme.Length..].Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        if (encoded.Length % 4 != 0 || encoded.AsSpan().ContainsAnyExcept(Base64Alphabet))
        {
            return false;
        }

        // Every signed-in request comes through here: the decoded bytes stay on the stack unless the header is long.
        Span<byte> bytes = encoded.Length <= 256 ? stackalloc byte[encoded.Length] : new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var written))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes[..written]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "auth: malformed basic auth encoding")]
    private static partial void LogMalformedBasic(ILogger logger);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "auth: incorrect password for user {User}")]
    private static partial void LogWrongPassword(ILogger logger, string user);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "auth: user {User} does not have the root role for resource {Path}")]
    private static partial void LogNotRoot(ILogger logger, string user, string path);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Warning, Message = "auth: invalid access for user {User} on key {Key}")]
    private static partial void LogNoKeyAccess(ILogger logger, string user, string key);
}
