using System.Text;

namespace KvDirectory.Compatibility.Tests.Scenarios;

/// <summary>A named list of steps run against both servers under the same fresh key prefix.</summary>
public sealed record Scenario(string Name, IReadOnlyList<Step> Steps)
{
    /// <summary>
    /// The scenario's own directory, derived from its name so both servers use the same one. Digits are spelled as
    /// letters so that every number left in a key or cause is an index (which the normaliser rebases).
    /// </summary>
    public string Prefix { get; } = "/" + Slug(Name);

    public override string ToString() => Name;

    private static string Slug(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z')
            {
                slug.Append(c);
            }
            else if (c is >= '0' and <= '9')
            {
                slug.Append((char)('a' + (c - '0')));
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().TrimEnd('-');
    }
}
