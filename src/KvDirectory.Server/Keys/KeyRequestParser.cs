using KvDirectory.Protocol;
using KvDirectory.Server.Http;

namespace KvDirectory.Server.Keys;

/// <summary>
/// Turns request parameters into a <see cref="KeyRequest"/>, checking them in etcd's order so that
/// a request with several bad parameters gets the same error etcd gives (index 0, as a request error).
/// </summary>
public static class KeyRequestParser
{
    public static KeyRequest Parse(string method, string keyPath, FormValues form)
    {
        var prevIndex = ParseIndex(form, "prevIndex");
        var waitIndex = ParseIndex(form, "waitIndex");
        var recursive = ParseBool(form, "recursive");
        var sorted = ParseBool(form, "sorted");
        var wait = ParseBool(form, "wait");
        var dir = ParseBool(form, "dir");
        var quorum = ParseBool(form, "quorum");
        var stream = ParseBool(form, "stream");

        if (wait && method != "GET")
        {
            throw new EtcdException(EtcdErrorCode.InvalidField, "\"wait\" can only be used with GET requests");
        }

        var prevValue = form.FirstOrEmpty("prevValue");
        if (form.Contains("prevValue") && prevValue.Length == 0)
        {
            throw new EtcdException(EtcdErrorCode.PrevValueRequired, "\"prevValue\" cannot be empty");
        }

        var noValueOnSuccess = ParseBool(form, "noValueOnSuccess");

        ulong? ttl = null;
        var ttlText = form.FirstOrEmpty("ttl");
        if (ttlText.Length > 0)
        {
            if (!GoValueParser.TryParseUInt64(ttlText, out var seconds))
            {
                throw new EtcdException(EtcdErrorCode.TtlNaN, "invalid value for \"ttl\"");
            }

            ttl = seconds;
        }

        bool? prevExist = null;
        if (form.First("prevExist") is { } prevExistText)
        {
            prevExist = GoValueParser.TryParseBool(prevExistText, out var exists)
                ? exists
                : throw new EtcdException(EtcdErrorCode.InvalidField, "invalid value for prevExist");
        }

        bool? refresh = null;
        if (form.First("refresh") is { } refreshText)
        {
            refresh = GoValueParser.TryParseBool(refreshText, out var refreshValue)
                ? refreshValue
                : throw new EtcdException(EtcdErrorCode.InvalidField, "invalid value for refresh");
            if (refreshValue)
            {
                if (form.FirstOrEmpty("value").Length > 0)
                {
                    throw new EtcdException(EtcdErrorCode.RefreshValue, "A value was provided on a refresh");
                }

                if (ttl is null)
                {
                    throw new EtcdException(EtcdErrorCode.RefreshTtlRequired, "No TTL value set");
                }
            }
        }

        return new KeyRequest
        {
            Method = method,
            Path = keyPath,
            Value = form.FirstOrEmpty("value"),
            Dir = dir,
            PrevValue = prevValue,
            PrevIndex = prevIndex,
            PrevExist = prevExist,
            Wait = wait,
            WaitIndex = waitIndex,
            Recursive = recursive,
            Sorted = sorted,
            Quorum = quorum,
            Stream = stream,
            NoValueOnSuccess = noValueOnSuccess,
            Ttl = ttl,
            Refresh = refresh,
        };
    }

    private static long ParseIndex(FormValues form, string name)
    {
        if (form.First(name) is not { } text)
        {
            return 0;
        }

        if (!GoValueParser.TryParseUInt64(text, out var value))
        {
            throw new EtcdException(EtcdErrorCode.IndexNaN, $"invalid value for \"{name}\"");
        }

        // etcd's indexes are unsigned; one beyond long's range can never match, so clamping keeps the meaning.
        return value > long.MaxValue ? long.MaxValue : (long)value;
    }

    private static bool ParseBool(FormValues form, string name)
    {
        if (form.First(name) is not { } text)
        {
            return false;
        }

        return GoValueParser.TryParseBool(text, out var value)
            ? value
            : throw new EtcdException(EtcdErrorCode.InvalidField, $"invalid value for \"{name}\"");
    }
}
