using System.Text.Json;

namespace KvDirectory.Client;

/// <summary>A refused membership request; <c>/v2/members</c> errors are <c>{"message": "..."}</c>, not keys-API errors.</summary>
public sealed class MembersApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    internal static string ExtractMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var message))
            {
                return message.GetString() ?? body.Trim();
            }
        }
        catch (JsonException)
        {
        }

        return body.Trim();
    }
}
