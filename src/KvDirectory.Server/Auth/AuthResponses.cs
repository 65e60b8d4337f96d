using KvDirectory.Protocol;
using KvDirectory.Server.Http;
using Microsoft.AspNetCore.Http;

namespace KvDirectory.Server.Auth;

/// <summary>etcd's two refusals: keys answer error 110; members and <c>/v2/auth</c> a bare message. No WWW-Authenticate, as etcd.</summary>
public static class AuthResponses
{
    public const string InsufficientCredentials = "Insufficient credentials";

    public static Task WriteNoAuthAsync(HttpContext context) =>
        EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status401Unauthorized, InsufficientCredentials);

    /// <summary><c>{"errorCode":110,…,"cause":"Insufficient credentials","index":0}</c>, status 401, <c>X-Etcd-Index: 0</c>.</summary>
    public static Task WriteKeyNoAuthAsync(HttpContext context) =>
        EtcdResponses.WriteErrorAsync(context, new EtcdException(EtcdErrorCode.Unauthorized, InsufficientCredentials, 0));
}
