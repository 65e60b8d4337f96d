using System.Globalization;

namespace KvDirectory.Server.Http;

/// <summary>Formats a duration as Go's <c>time.Duration.String</c> ("1h2m3.5s", "150ms"), as etcd's uptime is shown.</summary>
public static class GoDuration
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
}
