using System.Text.Json;

namespace KvDirectory.Cluster.Tests.Membership;

/// <summary>Peer URLs for <c>/v2/members</c> requests: fresh ones nobody listens on, and the JSON body that carries them.</summary>
public static class PeerUrls
{
    public static string New() => $"http://127.0.0.1:{KvDirectory.Testing.FreePort.Next()}";

    public static string Json(params string[] peerUrls) => JsonSerializer.Serialize(new { peerURLs = peerUrls });
}
