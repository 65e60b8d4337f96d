using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace KvDirectory.Wire.Tests;

/// <summary>
/// A text form of a decoded value that compares what matters: bytes by content (ReadOnlyMemory has no value
/// equality), lists in order, sets sorted, records by their public properties, times with their ticks and offset.
/// </summary>
public static class Canonical
{
    public static string Describe(object? value, int depth = 0)
    {
        if (depth > 12)
        {
            throw new InvalidOperationException("value nests too deep to describe");
        }

        switch (value)
        {
            case null:
                return "null";
            case string text:
                return '"' + text + '"';
            case byte[] bytes:
                return "0x" + Convert.ToHexString(bytes);
            case ReadOnlyMemory<byte> memory:
                return "0x" + Convert.ToHexString(memory.Span);
            case DateTimeOffset time:
                return $"{time.Ticks}@{time.Offset.Ticks}";
            case Enum or bool:
                return value.ToString()!;
            case IFormattable formattable when value.GetType().IsPrimitive:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            case ITuple tuple:
                return "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Describe(tuple[i], depth + 1))) + ")";
            case IEnumerable sequence:
                var items = sequence.Cast<object?>().Select(item => Describe(item, depth + 1));
                var isSet = value.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlySet<>));
                return "[" + string.Join(", ", isSet ? items.Order(StringComparer.Ordinal) : items) + "]";
        }

        var properties = value.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + Describe(p.GetValue(value), depth + 1));
        return value.GetType().Name + "{" + string.Join(", ", properties) + "}";
    }
}
