using static KvDirectory.Server.OpenApi.EtcdApiSchemas;

namespace KvDirectory.Server.OpenApi;

/// <summary>Every operation of the etcd v2 API we serve, plus our admin endpoints, as the OpenAPI document lists them.</summary>
internal static class EtcdApiOperations
{
    private const string Keys = "keys";
    private const string Cluster = "members";
    private const string Stats = "stats";
    private const string Server = "server";
    private const string Admin = "admin";
    private const string Auth = "auth";

    private static readonly ApiParameter KeyPath = new("key", ApiType.String, "The key below `/v2/keys/`; it may contain slashes (`a/b/c`).", InPath: true);
    private static readonly ApiParameter MemberId = new("id", ApiType.String, "The member's id (16 hex digits).", InPath: true);

    private static readonly ApiParameter[] ReadParameters =
    [
        new("recursive", ApiType.Boolean, "List a directory's whole subtree (with `wait`: watch the subtree)."),
        new("sorted", ApiType.Boolean, "List children in key order."),
        new("quorum", ApiType.Boolean, "A linearizable read: answered once this member has applied everything committed when the read arrived (ReadIndex)."),
        new("wait", ApiType.Boolean, "Watch: answer with the next change instead of the current value (a long poll; headers are sent at once)."),
        new("waitIndex", ApiType.Integer, "With `wait`: the first change at or after this etcd index, answered from the event history when it is there (401 when it was dropped)."),
        new("stream", ApiType.Boolean, "With `wait`: keep the answer open and write every change as one JSON event per line."),
    ];

    private static readonly ApiParameter[] WriteFields =
    [
        new("value", ApiType.String, "The value to store."),
        new("ttl", ApiType.Integer, "Seconds to live; empty makes the key permanent again."),
        new("dir", ApiType.Boolean, "Create a directory instead of a key."),
        new("prevExist", ApiType.Boolean, "`false`: create only if absent (105 otherwise); `true`: update only if present (100 otherwise)."),
        new("prevValue", ApiType.String, "Compare-and-swap: change only if the current value is this (101 otherwise)."),
        new("prevIndex", ApiType.Integer, "Compare-and-swap: change only if the key's modifiedIndex is this (101 otherwise)."),
        new("refresh", ApiType.Boolean, "Reset the TTL only: no value may be given, watchers are not woken."),
        new("noValueOnSuccess", ApiType.Boolean, "Leave the node out of a successful answer."),
    ];

    private static readonly ApiParameter[] CreateFields =
    [
        new("value", ApiType.String, "The value to store."),
        new("ttl", ApiType.Integer, "Seconds to live."),
        new("dir", ApiType.Boolean, "Create a directory instead of a key."),
    ];

    private static readonly ApiParameter[] DeleteParameters =
    [
        new("recursive", ApiType.Boolean, "Delete a directory with everything below it."),
        new("dir", ApiType.Boolean, "Delete an empty directory."),
        new("prevValue", ApiType.String, "Compare-and-delete: delete only if the current value is this."),
        new("prevIndex", ApiType.Integer, "Compare-and-delete: delete only if the key's modifiedIndex is this."),
    ];

    private static readonly ApiResponse[] KeyErrors =
    [
        new(400, "A parameter is malformed (errorCode 200–210).", Error),
        new(403, "Not a file, not a directory, directory not empty or root read-only (errorCode 102, 104, 107, 108).", Error),
        new(404, "Key not found (errorCode 100).", Error),
        new(412, "A precondition failed: compare failed or key already exists (errorCode 101, 105).", Error),
        new(413, "The body is larger than `--max-request-bytes` (errorCode 210).", Error),
        new(500, "The cluster could not commit the request in time (errorCode 300).", Error),
    ];

    public static IReadOnlyList<ApiOperation> All { get; } = Build();

    private static List<ApiOperation> Build()
    {
        var operations = new List<ApiOperation>();
        foreach (var (path, key) in new[] { ("/v2/keys", (ApiParameter?)null), ("/v2/keys/{key}", KeyPath) })
        {
            ApiParameter[] pathParameters = key is null ? [] : [key];
            var where = key is null ? "the root directory" : "a key or directory";
            operations.Add(new(path, "GET", Keys, $"Read (or watch) {where}",
                "Reads are served from this member's store, as etcd v2 does; `quorum=true` makes them linearizable. With `wait=true` the answer is the next change.",
                [.. pathParameters, .. ReadParameters],
                [new(200, "The node (action `get`), or the change a watch waited for.", Event), new(401, "The watched index was dropped from the event history (errorCode 401).", Error), .. KeyErrors]));
            operations.Add(new(path, "HEAD", Keys, $"Read the headers of {where}", "As GET without a body: `X-Etcd-Index`, `X-Raft-Index`, `X-Raft-Term`.",
                [.. pathParameters, .. ReadParameters], [new(200, "The node exists."), new(404, "Key not found.")]));
            operations.Add(new(path, "PUT", Keys, $"Set, create, update or compare-and-swap {where}",
                "Parameters may be sent in the form body or the query string. Acknowledged once committed by a quorum and durable in the write-ahead log.",
                [.. pathParameters], [new(200, "Replaced or updated (action `set`, `update` or `compareAndSwap`, with `prevNode`).", Event), new(201, "Created (action `set` or `create`).", Event), .. KeyErrors])
            {
                FormFields = WriteFields,
            });
            operations.Add(new(path, "POST", Keys, $"Create an in-order key in {where}",
                "Creates a child whose name is the etcd index, zero-padded to 20 digits, so children sort in creation order (a queue).",
                [.. pathParameters], [new(201, "Created (action `create`).", Event), .. KeyErrors])
            {
                FormFields = CreateFields,
            });
            operations.Add(new(path, "DELETE", Keys, $"Delete or compare-and-delete {where}", "A directory needs `dir=true` (empty) or `recursive=true`.",
                [.. pathParameters, .. DeleteParameters], [new(200, "Deleted (action `delete` or `compareAndDelete`, with `prevNode`).", Event), .. KeyErrors]));
        }

        operations.Add(new("/v2/members", "GET", Cluster, "List the members", string.Empty, [], [new(200, "Every member.", Members)]));
        operations.Add(new("/v2/members", "POST", Cluster, "Add a member",
            "Goes through the Raft log. Start the new member afterwards with `--initial-cluster-state existing`.", [],
            [
                new(201, "The member was added (it has no name and no client URLs until it starts).", Member),
                new(400, "The body names no peer URL or a malformed one.", MessageError),
                new(409, "A member already has that peer URL.", MessageError),
                new(415, "The body is not `application/json`.", MessageError),
                new(500, "The strict reconfiguration check refused it: too few started members to keep a quorum.", MessageError),
            ])
        {
            JsonBody = MemberPeerUrls,
        });
        operations.Add(new("/v2/members/leader", "GET", Cluster, "The current leader", string.Empty, [],
            [new(200, "The leader.", Member), new(503, "During an election.", MessageError)]));
        operations.Add(new("/v2/members/{id}", "PUT", Cluster, "Change a member's peer URLs", string.Empty, [MemberId],
            [
                new(204, "Changed."),
                new(400, "A malformed peer URL.", MessageError),
                new(404, "No such member.", MessageError),
                new(409, "Another member has that peer URL.", MessageError),
                new(415, "The body is not `application/json`.", MessageError),
            ])
        {
            JsonBody = MemberPeerUrls,
        });
        operations.Add(new("/v2/members/{id}", "DELETE", Cluster, "Remove a member",
            "A removed leader hands leadership over first; the removed member shuts itself down.", [MemberId],
            [new(204, "Removed."), new(404, "No such member.", MessageError), new(410, "The member was removed before.", MessageError), new(500, "The removal could not be committed.", MessageError)]));
        operations.Add(new("/v2/machines", "GET", Cluster, "Every member's client URLs", "Comma separated, for old clients.", [],
            [new(200, "The client URLs.", MediaType: "text/plain")]));
        operations.Add(new("/v2/stats/store", "GET", Stats, "Store operation counters", string.Empty, [], [new(200, "The counters.", StoreStats)]));
        operations.Add(new("/v2/stats/self", "GET", Stats, "This member's statistics", string.Empty, [], [new(200, "The statistics.", SelfStats)]));
        operations.Add(new("/v2/stats/leader", "GET", Stats, "The leader's follower statistics", string.Empty, [],
            [new(200, "Answered by the leader.", LeaderStats), new(403, "This member is not the leader.", MessageError)]));
        operations.Add(new("/version", "GET", Server, "The etcd version spoken", string.Empty, [], [new(200, "The versions.", ServerVersion)]));
        operations.Add(new("/health", "GET", Server, "Health: is there a leader", "Written as etcd writes it, JSON labelled `text/plain`.", [],
            [new(200, "There is a leader.", Health, "text/plain"), new(503, "No leader.", Health, "text/plain")]));
        operations.Add(new("/metrics", "GET", Server, "Prometheus metrics", "etcd's metric names where the meaning is the same.", [],
            [new(200, "The Prometheus text exposition format.", MediaType: "text/plain")]));
        operations.Add(new("/v2/admin/snapshot", "GET", Admin, "A consistent backup of the whole tree",
            "Not in etcd. Start a new node from it with `--restore-from`; `kvctl snapshot save` verifies it.", [],
            [new(200, "The backup file.", MediaType: "application/octet-stream")]));
        operations.Add(new("/v2/admin/digest", "GET", Admin, "A digest of this member's tree",
            "Not in etcd. Equal digests on every member mean equal trees at equal indexes.", [], [new(200, "The digest.", Digest)]));
        AddAuth(operations);
        return operations;
    }

    /// <summary>etcd's v2 auth API: with auth on, every call but <c>GET /v2/auth/enable</c> needs root's Basic credentials.</summary>
    private static void AddAuth(List<ApiOperation> operations)
    {
        var denied = new ApiResponse(401, "Auth is on and the requester is not root: `{\"message\":\"Insufficient credentials\"}`.");
        var userName = new ApiParameter("name", ApiType.String, "The user's name.", InPath: true);
        var roleName = new ApiParameter("name", ApiType.String, "The role's name.", InPath: true);
        operations.Add(new("/v2/auth/enable", "GET", Auth, "Whether authentication is on", string.Empty, [], [new(200, "`{\"enabled\":true|false}`.")]));
        operations.Add(new("/v2/auth/enable", "PUT", Auth, "Switch authentication on", "Needs the root user to exist.", [],
            [new(200, "On."), new(409, "Already on, or no root user yet (`{\"message\":\"auth: …\"}`)."), denied]));
        operations.Add(new("/v2/auth/enable", "DELETE", Auth, "Switch authentication off", "Root only.", [],
            [new(200, "Off."), new(409, "Already off."), denied]));
        operations.Add(new("/v2/auth/users", "GET", Auth, "Every user with their roles and permissions", string.Empty, [], [new(200, "The users."), denied]));
        operations.Add(new("/v2/auth/users/{name}", "GET", Auth, "One user", string.Empty, [userName], [new(200, "The user."), new(404, "No such user."), denied]));
        operations.Add(new("/v2/auth/users/{name}", "PUT", Auth, "Create a user, change its password, grant or revoke roles",
            "JSON body `{\"user\",\"password\",\"roles\",\"grant\",\"revoke\"}` as etcd takes it.", [userName],
            [new(201, "Created."), new(200, "Changed."), new(400, "A bad body, or a new user without a password."), new(404, "No such user or role."), new(409, "A conflicting change."), denied]));
        operations.Add(new("/v2/auth/users/{name}", "DELETE", Auth, "Remove a user", "Root cannot be removed while auth is on.", [userName],
            [new(200, "Removed."), new(404, "No such user."), new(403, "Root while auth is on."), denied]));
        operations.Add(new("/v2/auth/roles", "GET", Auth, "Every role and its key permissions", "`root` and `guest` are built in.", [], [new(200, "The roles."), denied]));
        operations.Add(new("/v2/auth/roles/{name}", "GET", Auth, "One role", string.Empty, [roleName], [new(200, "The role."), new(404, "No such role."), denied]));
        operations.Add(new("/v2/auth/roles/{name}", "PUT", Auth, "Create a role, grant or revoke key permissions",
            "JSON body `{\"role\",\"permissions\":{\"kv\":{\"read\":[…],\"write\":[…]}},\"grant\",\"revoke\"}`; a pattern is a key or a prefix ending in `*`.", [roleName],
            [new(201, "Created."), new(200, "Changed."), new(400, "A bad body."), new(404, "No such role."), new(409, "A conflicting change."), denied]));
        operations.Add(new("/v2/auth/roles/{name}", "DELETE", Auth, "Remove a role", "`root` cannot be removed.", [roleName],
            [new(200, "Removed."), new(403, "The root role."), new(404, "No such role."), denied]));
    }
}
