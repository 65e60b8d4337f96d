using System.Diagnostics.CodeAnalysis;

namespace KvDirectory.Server.Http;

/// <summary>Number and boolean parsing with Go's <c>strconv</c> rules, which decide what etcd accepts.</summary>
public static class GoValueParser
{
    /// <summary>Go's <c>ParseBool</c>: exactly 1/t/T/TRUE/true/True and 0/f/F/FALSE/false/False.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>Go's <c>ParseUint(s, 10, 64)</c>: ASCII digits only, no sign or spaces, no overflow.</summary>
    public static bool TryParseUInt64(string text, out ulong value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            var digit = (ulong)(c - '0');
            if (value > (ulong.MaxValue - digit) / 10)
            {
                return false;
            }

            value = value * 10 + digit;
        }

        return true;
    }

    public static bool TryParseInt64([NotNullWhen(true)] string? text, out long value)
    {
        value = 0;
        if (text is null || !TryParseUInt64(text, out var unsigned) || unsigned > long.MaxValue)
        {
            return false;
        }

        value = (long)unsigned;
        return true;
    }
}
