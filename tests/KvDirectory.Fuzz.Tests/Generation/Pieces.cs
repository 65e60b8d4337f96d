using System.Text;

namespace KvDirectory.Fuzz.Tests.Generation;

/// <summary>The vocabulary the generator draws from: names and values that real clients send, and the ones they should not.</summary>
public static class Pieces
{
    /// <summary>Fuzzed keys live under these; the store model's keys live under <c>/oracle</c>, which no fuzzed path can name.</summary>
    public static readonly string[] Segments =
    [
        "a", "b", "c", "dir", "_hidden", "k1", "k2", "x%20y", "x+y", "%2F", "a%2Fb", ".", "..", "", "%C3%A9", "中", "%E4%B8%AD", "%00", "%0A",
        "%7F", "%zz", "%", "%C3", "%FF", "%FE%FF", "a%20b", "~", "@", "!$&'()*,;=", "%25", "%3F", "%23", "q%3Fx", "f%23frag", "💥", "%F0%9F%92%A5",
        "%C0%AF", "%ED%A0%80", "00000000000000000001",
    ];

    public static readonly string[] ParamNames =
    [
        "value", "ttl", "dir", "prevExist", "prevValue", "prevIndex", "recursive", "sorted", "wait", "waitIndex", "stream", "quorum",
        "refresh", "noValueOnSuccess", "unknown", "", "%zz", "a;b", "VALUE", "value%00", "ttl%20", "path", "limit", "offset", "q", "target",
        "hidden", "expandJson",
    ];

    public static readonly string[] ParamValues =
    [
        "", "true", "false", "0", "1", "-1", "t", "F", "TRUE", "True", "yes", "2", "x", "99999999999999999999", "18446744073709551615",
        "18446744073709551616", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "%201", "1.5", "1e3", "0x10", "%zz", "%00",
        "%FF", "a;b", "+", "%2B", "5", "10000000000", "315360000000", "/", "/a", "..", "%2F..%2F", "null", "{}", "[1]", "\"q\"", "%C3%A9",
        "2147483648", "-2147483649", "%0D%0A",
    ];

    public static readonly string[] ContentTypes =
    [
        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "APPLICATION/X-WWW-FORM-URLENCODED",
        "application/json", "text/plain", "multipart/form-data; boundary=zz", ";;;", "application/x-www-form-urlencoded; charset=latin1",
        "application/x-www-form-urlencoded;", "x/y; a=\"unterminated", "",
    ];

    public static string Authorization(Random random) => random.Next(12) switch
    {
        0 => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("root:secret")),
        1 => "Basic !!!not-base64!!!",
        2 => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("no-colon-here")),
        3 => "Basic " + Convert.ToBase64String([0xFF, 0xFE, (byte)':', 0xC3, 0x28]),
        4 => "Basic " + Convert.ToBase64String(RandomBytes(random, 6_000)),
        5 => "Bearer abc.def.ghi",
        6 => "Basic",
        7 => "basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pass")),
        8 => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":")),
        9 => "Basic =",
        10 => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("guest:")) + "===",
        _ => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("a:b:c")),
    };

    public static string Value(Random random) => random.Next(40) switch
    {
        0 => new string('v', random.Next(1_000, 70_000)),
        1 => string.Empty,
        2 => "%zz",
        _ => ParamValues[random.Next(ParamValues.Length)],
    };

    public static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
