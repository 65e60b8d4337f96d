using System.Globalization;
using System.Text.RegularExpressions;

namespace KvDirectory.Protocol;

/// <summary>
/// Go's <c>time.Duration</c> as text: printed as <c>Duration.String</c> does ("1h2m3.5s", "150ms": etcd's uptime in
/// the stats), parsed as Go's flag package does ("2s", "1m30s", "500ms": etcdctl's timeout flags).
/// </summary>
public static partial class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        var nanoseconds = duration.Ticks * 100;
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var sign = nanoseconds < 0 ? "-" : string.Empty;
        nanoseconds = Math.Abs(nanoseconds);
        if (nanoseconds < 1_000)
        {
            return $"{sign}{nanoseconds}ns";
        }

        if (nanoseconds < 1_000_000)
        {
            return sign + Fraction(nanoseconds, 1_000) + "µs";
        }

        if (nanoseconds < 1_000_000_000)
        {
            return sign + Fraction(nanoseconds, 1_000_000) + "ms";
        }

        var hours = nanoseconds / 3_600_000_000_000;
        var minutes = nanoseconds / 60_000_000_000 % 60;
        var seconds = Fraction(nanoseconds % 60_000_000_000, 1_000_000_000) + "s";
        if (hours > 0)
        {
            return $"{sign}{hours}h{minutes}m{seconds}";
        }

        return minutes > 0 ? $"{sign}{minutes}m{seconds}" : sign + seconds;
    }

    private static string Fraction(long value, long unit)
    {
        var whole = value / unit;
        var rest = value % unit;
        if (rest == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        var fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return $"{whole}.{fraction}";
    }

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0")
        {
            return true;
        }

        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            return false;
        }

        foreach (Match match in matches)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += match.Groups[2].Value switch
            {
                "ns" => TimeSpan.FromTicks((long)(amount / 100)),
                "us" or "µs" => TimeSpan.FromMicroseconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }

        return true;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();
}
