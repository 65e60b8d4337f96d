using Microsoft.AspNetCore.Routing.Patterns;

namespace KvDirectory.Server.Http;

/// <summary>
/// ASP.NET Core routing matches the literal segments of a route ignoring case; Go's ServeMux, which etcd serves
/// through, compares them exactly, so <c>PUT /V2/KEYS/a</c> is etcd's text 404 and must not write <c>/a</c>.
/// Checks the literal segments of the matched route against the path as the request wrote it.
/// </summary>
public static class ExactRouteLiterals
{
    /// <summary>False when a literal segment of <paramref name="pattern"/> differs from <paramref name="path"/>'s in case.</summary>
    public static bool Match(RoutePattern pattern, string path)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var rest = path.AsSpan();
        foreach (var segment in pattern.PathSegments)
        {
            if (rest.IsEmpty || rest[0] != '/')
            {
                return true;
            }

            rest = rest[1..];
            var end = rest.IndexOf('/');
            var current = end < 0 ? rest : rest[..end];
            if (segment.Parts is [RoutePatternLiteralPart literal] && !current.SequenceEqual(literal.Content))
            {
                return false;
            }

            // A catch-all is a segment of its own; no enumerator is needed to find it on this per-request path.
            if (segment.Parts is [RoutePatternParameterPart { IsCatchAll: true }])
            {
                return true;
            }

            rest = end < 0 ? [] : rest[end..];
        }

        return true;
    }
}
