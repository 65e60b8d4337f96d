using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace KvDirectory.Server.OpenApi;

/// <summary>The component schemas of the etcd v2 answers, with etcd's field names and omission rules spelt out.</summary>
internal static class EtcdApiSchemas
{
    public const string Event = "Event";
    public const string Node = "Node";
    public const string Error = "Error";
    public const string Member = "Member";
    public const string Members = "Members";
    public const string MemberPeerUrls = "MemberPeerUrls";
    public const string MessageError = "MessageError";
    public const string ServerVersion = "Version";
    public const string Health = "Health";
    public const string StoreStats = "StoreStats";
    public const string SelfStats = "SelfStats";
    public const string LeaderStats = "LeaderStats";
    public const string Digest = "Digest";

    public static void AddTo(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        var schemas = document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        schemas[Node] = Object("A key or a directory. Empty fields are left out, as etcd leaves them out.",
            ("key", Text("The absolute key (`/a/b`); absent for the root directory")),
            ("value", Text("The value; absent for a directory")),
            ("dir", Flag("Present and true for a directory")),
            ("expiration", Text("When the key expires (RFC 3339, UTC); absent for a permanent key", "date-time")),
            ("ttl", Number("Seconds left to live; absent for a permanent key")),
            ("nodes", new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "A directory's children (recursively with `recursive=true`); absent for an empty directory",
                Items = new OpenApiSchemaReference(Node, document),
            }),
            ("modifiedIndex", Number("The etcd index of the last change")),
            ("createdIndex", Number("The etcd index of its creation")));
        schemas[Event] = Object("The answer to every successful keys request and every watch.",
            ("action", Enum("What happened", "get", "set", "create", "update", "delete", "expire", "compareAndSwap", "compareAndDelete")),
            ("node", new OpenApiSchemaReference(Node, document)),
            ("prevNode", new OpenApiSchemaReference(Node, document)));
        schemas[Error] = Object("etcd's error body: `errorCode` is etcd's error number (100 key not found, 101 compare failed, 102 not a file, 104 not a directory, 105 key already exists, 108 directory not empty, 200–210 bad parameters, 300–301 Raft, 401 event index cleared).",
            ("errorCode", Number("etcd's error number")),
            ("message", Text("etcd's message for that number")),
            ("cause", Text("The key or parameter concerned")),
            ("index", Number("The etcd index when the error happened")));
        schemas[MessageError] = Object("The error body of the members API.", ("message", Text("What went wrong")));
        schemas[Member] = Object("A cluster member; the id is 16 lowercase hex digits.",
            ("id", Text("Member id")),
            ("name", Text("Member name (empty until the member has started)")),
            ("peerURLs", Strings("Where the other members reach it")),
            ("clientURLs", Strings("Where clients reach it (empty until it has started)")));
        schemas[Members] = Object("Every member of the cluster.",
            ("members", new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(Member, document) }));
        schemas[MemberPeerUrls] = Object("The body that adds a member or changes its peer URLs.",
            ("peerURLs", Strings("The member's peer URLs")));
        schemas[ServerVersion] = Object("The etcd version whose API the server speaks.",
            ("etcdserver", Text("Server version")),
            ("etcdcluster", Text("Cluster version")));
        schemas[Health] = Object("`true` while the member knows a leader.", ("health", Enum("Health", "true", "false")));
        schemas[StoreStats] = Object("Counters of store operations since the member started (etcd's names).",
            [.. new[]
            {
                "getsSuccess", "getsFail", "setsSuccess", "setsFail", "deleteSuccess", "deleteFail", "updateSuccess", "updateFail",
                "createSuccess", "createFail", "compareAndSwapSuccess", "compareAndSwapFail", "compareAndDeleteSuccess",
                "compareAndDeleteFail", "expireCount", "watchers",
            }.Select(name => (name, (IOpenApiSchema)Number(name)))]);
        schemas[SelfStats] = Object("This member's state and request rates (etcd's fields; zero rates are left out).",
            ("name", Text("Member name")),
            ("id", Text("Member id")),
            ("state", Enum("Raft state", "StateLeader", "StateFollower", "StateCandidate", "StatePreCandidate")),
            ("startTime", Text("When the member started", "date-time")),
            ("leaderInfo", Free("The leader's id, its uptime and since when it leads")),
            ("recvAppendRequestCnt", Number("Append requests received")),
            ("recvPkgRate", Number("Packages received per second")),
            ("recvBandwidthRate", Number("Bytes received per second")),
            ("sendAppendRequestCnt", Number("Append requests sent")),
            ("sendPkgRate", Number("Packages sent per second")),
            ("sendBandwidthRate", Number("Bytes sent per second")));
        schemas[LeaderStats] = Object("The leader's view of every follower: Raft round-trip latency and append counts.",
            ("leader", Text("The leader's id")),
            ("followers", Free("Per follower id: `latency` (current, average, standardDeviation, minimum, maximum in ms) and `counts` (success, fail)")));
        schemas[Digest] = Object("A hash of this member's whole tree at its etcd index.",
            ("index", Number("The etcd index the hash was taken at")),
            ("sha256", Text("SHA-256 of the tree, lowercase hex")));
    }

    private static OpenApiSchema Object(string description, params (string Name, IOpenApiSchema Schema)[] properties)
    {
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Properties = properties.ToDictionary(p => p.Name, p => p.Schema, StringComparer.Ordinal),
        };
    }

    private static OpenApiSchema Text(string description, string? format = null) =>
        new() { Type = JsonSchemaType.String, Description = description, Format = format };

    private static OpenApiSchema Number(string description) =>
        new() { Type = JsonSchemaType.Integer, Format = "int64", Description = description };

    private static OpenApiSchema Flag(string description) => new() { Type = JsonSchemaType.Boolean, Description = description };

    private static OpenApiSchema Free(string description) => new() { Type = JsonSchemaType.Object, Description = description };

    private static OpenApiSchema Strings(string description) =>
        new() { Type = JsonSchemaType.Array, Description = description, Items = new OpenApiSchema { Type = JsonSchemaType.String } };

    private static OpenApiSchema Enum(string description, params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };
}
