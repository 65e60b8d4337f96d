using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KvDirectory.Protocol;

/// <summary>
/// Writes times as Go's RFC 3339 with nanoseconds does (trailing zeros of the fraction dropped, "Z" for UTC),
/// because etcd clients parse <c>expiration</c> with Go's and Python's RFC 3339 parsers.
/// </summary>
public sealed class GoTimeJsonConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => false;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        return text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStringValue(Format(value.Value));
    }

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
