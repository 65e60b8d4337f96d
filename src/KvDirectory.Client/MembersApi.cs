using System.Text.Json;
using KvDirectory.Protocol;

namespace KvDirectory.Client;

/// <summary>The <c>/v2/members</c> API: list, leader, add, remove and update peer URLs.</summary>
public sealed class MembersApi
{
    private readonly EtcdTransport _transport;

    internal MembersApi(EtcdTransport transport) => _transport = transport;

    public async Task<IReadOnlyList<Member>> ListAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(new EtcdRequest(HttpMethod.Get, "/v2/members") { Idempotent = true }, cancellationToken);
        return Deserialize(response, ProtocolJsonContext.Default.MemberCollection).Members;
    }

    public async Task<Member> LeaderAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(new EtcdRequest(HttpMethod.Get, "/v2/members/leader") { Idempotent = true }, cancellationToken);
        return Deserialize(response, ProtocolJsonContext.Default.Member);
    }

    public async Task<Member> AddAsync(string peerUrl, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(new MemberCreateRequest { PeerUrls = [peerUrl] }, ProtocolJsonContext.Go.MemberCreateRequest);
        var response = await SendAsync(new EtcdRequest(HttpMethod.Post, "/v2/members") { Body = body, ContentType = "application/json" }, cancellationToken);
        return Deserialize(response, ProtocolJsonContext.Default.Member);
    }

    public async Task RemoveAsync(string memberId, CancellationToken cancellationToken = default) =>
        await SendAsync(new EtcdRequest(HttpMethod.Delete, "/v2/members/" + GoUrl.EscapePath(memberId)), cancellationToken);

    public async Task UpdateAsync(string memberId, IReadOnlyList<string> peerUrls, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(new MemberCreateRequest { PeerUrls = peerUrls }, ProtocolJsonContext.Go.MemberCreateRequest);
        await SendAsync(new EtcdRequest(HttpMethod.Put, "/v2/members/" + GoUrl.EscapePath(memberId)) { Body = body, ContentType = "application/json" }, cancellationToken);
    }

    private async Task<EtcdResponse> SendAsync(EtcdRequest request, CancellationToken cancellationToken)
    {
        var response = await _transport.SendAsync(request, cancellationToken);
        if ((int)response.Status >= 400)
        {
            throw new MembersApiException((int)response.Status, MembersApiException.ExtractMessage(response.Body));
        }

        return response;
    }

    private static T Deserialize<T>(EtcdResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(response.Body, typeInfo) ?? throw new MembersApiException((int)response.Status, "empty answer");
}
