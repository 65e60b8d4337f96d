using System.Globalization;
using KvDirectory.Node;
using KvDirectory.Node.Membership;
using KvDirectory.Protocol;
using KvDirectory.Server.Auth;
using KvDirectory.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KvDirectory.Server.Endpoints;

/// <summary>
/// <c>/v2/members</c> and <c>/v2/machines</c>: how clients (etcdctl, Patroni, python-etcd) discover the cluster, and
/// how operators change it at runtime (POST adds, DELETE removes, PUT changes peer URLs), with etcd's codes and bodies.
/// </summary>
public static class MembersEndpoints
{
    private const string MembersAllowed = "GET,POST,DELETE,PUT";

    public static IEndpointRouteBuilder MapMembersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/v2/members", HandleMembersAsync);
        endpoints.Map("/v2/members/{**rest}", HandleMembersAsync);
        endpoints.Map("/v2/machines", HandleMachinesAsync);
        return endpoints;
    }

    private static async Task HandleMembersAsync(HttpContext context, ClusterStateHolder cluster, ICommandLog log, IMembershipLog membership, TimeProvider time, AuthGate gate)
    {
        var method = context.Request.Method;
        if (method is not ("GET" or "POST" or "DELETE" or "PUT"))
        {
            await EtcdResponses.WriteMethodNotAllowedAsync(context, MembersAllowed);
            return;
        }

        if (!gate.HasWriteRootAccess(context))
        {
            await AuthResponses.WriteNoAuthAsync(context);
            return;
        }

        var state = cluster.Current;
        context.Response.Headers[EtcdHeaders.ClusterId] = MemberId.Format(state.ClusterId);
        var rest = (context.Request.RouteValues["rest"] as string ?? string.Empty).Trim('/');
        switch (method)
        {
            case "GET":
                await GetAsync(context, state, log, rest);
                break;
            case "POST":
                await AddAsync(context, state, membership, time);
                break;
            case "DELETE":
                await RemoveAsync(context, state, membership, rest);
                break;
            default:
                await UpdateAsync(context, state, membership, rest);
                break;
        }
    }

    private static async Task GetAsync(HttpContext context, ClusterState state, ICommandLog log, string rest)
    {
        switch (rest)
        {
            case "":
                await EtcdResponses.WriteJsonAsync(context.Response, state.ToMemberCollection(), ProtocolJsonContext.Default.MemberCollection, EtcdHeaders.JsonContentType);
                break;
            case "leader" when state.Find(log.Status.LeaderId) is { } leader:
                await EtcdResponses.WriteJsonAsync(context.Response, ClusterState.ToWire(leader), ProtocolJsonContext.Default.Member, EtcdHeaders.JsonContentType);
                break;
            case "leader":
                await EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "During election");
                break;
            default:
                await EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status404NotFound, "Not found");
                break;
        }
    }

    private static async Task AddAsync(HttpContext context, ClusterState state, IMembershipLog membership, TimeProvider time)
    {
        if (await MemberRequestReader.ReadPeerUrlsAsync(context) is not { } peerUrls)
        {
            return;
        }

        // As etcd: the id hashes the peer URLs with the time, so re-adding the same URLs later gets a new id.
        var seconds = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var change = new MembershipChange(MembershipChangeKind.Add, MemberId.Compute(peerUrls, seconds), peerUrls);
        if (!MembershipRules.IsReadyToAdd(state))
        {
            await WriteRefusalAsync(context, change, MembershipError.NotEnoughStartedMembers);
            return;
        }

        if (await TryChangeAsync(context, state, membership, change))
        {
            var added = new Member { Id = MemberId.Format(change.MemberId), Name = string.Empty, PeerUrls = peerUrls, ClientUrls = [] };
            context.Response.StatusCode = StatusCodes.Status201Created;
            await EtcdResponses.WriteJsonAsync(context.Response, added, ProtocolJsonContext.Default.Member, EtcdHeaders.JsonContentType);
        }
    }

    private static async Task RemoveAsync(HttpContext context, ClusterState state, IMembershipLog membership, string rest)
    {
        if (await ReadIdAsync(context, rest) is not { } id)
        {
            return;
        }

        var change = new MembershipChange(MembershipChangeKind.Remove, id, []);
        if (state.Find(id) is not null && !MembershipRules.IsReadyToRemove(state, id))
        {
            await WriteRefusalAsync(context, change, MembershipError.NotEnoughStartedMembers);
            return;
        }

        if (await TryChangeAsync(context, state, membership, change))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }

    private static async Task UpdateAsync(HttpContext context, ClusterState state, IMembershipLog membership, string rest)
    {
        if (await ReadIdAsync(context, rest) is not { } id || await MemberRequestReader.ReadPeerUrlsAsync(context) is not { } peerUrls)
        {
            return;
        }

        var change = new MembershipChange(MembershipChangeKind.Update, id, peerUrls, state.Find(id)?.Name ?? string.Empty);
        if (await TryChangeAsync(context, state, membership, change))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }

    /// <summary>Checks against the member list this member has (a quick, common refusal), then goes through the log.</summary>
    private static async Task<bool> TryChangeAsync(HttpContext context, ClusterState state, IMembershipLog membership, MembershipChange change)
    {
        if (MembershipRules.Validate(state, change) is { } early)
        {
            await WriteRefusalAsync(context, change, early);
            return false;
        }

        try
        {
            await membership.ChangeMembershipAsync(change, context.RequestAborted);
            return true;
        }
        catch (MembershipException refused)
        {
            await WriteRefusalAsync(context, change, refused.Error);
        }
        catch (EtcdException)
        {
            // etcd answers a timed-out or dropped reconfiguration with a bare 500.
            await EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error");
        }

        return false;
    }

    private static Task WriteRefusalAsync(HttpContext context, MembershipChange change, MembershipError error)
    {
        var id = MemberId.Format(change.MemberId);
        return error switch
        {
            MembershipError.IdExists or MembershipError.PeerUrlExists =>
                EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status409Conflict, MembershipException.Describe(error)),
            MembershipError.IdNotFound =>
                EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status404NotFound, $"No such member: {id}"),
            MembershipError.IdRemoved when change.Kind == MembershipChangeKind.Remove =>
                EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status410Gone, $"Member permanently removed: {id}"),
            _ => EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error"),
        };
    }

    /// <summary>etcd's getID: no id is 405 (plain text, no Allow header), an id that is not hex is 404.</summary>
    private static async Task<ulong?> ReadIdAsync(HttpContext context, string rest)
    {
        if (rest.Length == 0)
        {
            await EtcdResponses.WriteTextErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed");
            return null;
        }

        if (!MemberRequestReader.TryParseId(rest, out var id))
        {
            await EtcdResponses.WriteMessageErrorAsync(context, StatusCodes.Status404NotFound, $"No such member: {rest}");
            return null;
        }

        return id;
    }

    private static async Task HandleMachinesAsync(HttpContext context, ClusterStateHolder cluster)
    {
        if (context.Request.Method is not ("GET" or "HEAD"))
        {
            await EtcdResponses.WriteMethodNotAllowedAsync(context, "GET,HEAD");
            return;
        }

        var urls = cluster.Current.Members.SelectMany(m => m.ClientUrls);
        await EtcdResponses.WriteTextAsync(context, string.Join(", ", urls));
    }
}
