using System.Text;

namespace KvDirectory.Cli.Tests.Migration;

/// <summary>Writes to a server's keys API by plain HTTP (form bodies as curl sends them), failing on any error answer.</summary>
public sealed class EtcdKeysWriter(string endpoint)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Task PutAsync(string key, string form) => SendAsync(HttpMethod.Put, key, form);

    public async Task SendAsync(HttpMethod method, string key, string form = "")
    {
        using var request = new HttpRequestMessage(method, $"{endpoint}/v2/keys{key}");
        if (form.Length > 0)
        {
            request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {key} {form}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
