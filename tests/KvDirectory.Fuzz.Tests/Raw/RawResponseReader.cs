using System.Globalization;
using System.Text;

namespace KvDirectory.Fuzz.Tests.Raw;

/// <summary>
/// Reads HTTP/1.1 responses from a stream: status line, headers, then a body by Content-Length, chunked, or until
/// the connection closes. A watch's body may never come: <see cref="ReadAsync"/> stops at the body timeout and says
/// the response is incomplete, and the caller closes the connection as a client that gives up.
/// </summary>
public sealed class RawResponseReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next response, or null when the connection closed before a status line.</summary>
    public async Task<RawResponse?> ReadAsync(bool isHead, TimeSpan headerTimeout, TimeSpan bodyTimeout)
    {
        using var headerDeadline = new CancellationTokenSource(headerTimeout);
        var statusLine = await ReadLineAsync(headerDeadline.Token);
        if (statusLine is null)
        {
            return null;
        }

        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidDataException($"not a status line: {statusLine}");
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await ReadLineAsync(headerDeadline.Token) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var name = line[..colon].Trim().ToLowerInvariant();
                var value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
            }
        }

        if (isHead || status is 204 or 304 || status < 200)
        {
            return new RawResponse(status, headers, [], Complete: true);
        }

        using var bodyDeadline = new CancellationTokenSource(bodyTimeout);
        try
        {
            if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                return new RawResponse(status, headers, await ReadChunkedAsync(bodyDeadline.Token), Complete: true);
            }

            if (headers.TryGetValue("content-length", out var length))
            {
                return new RawResponse(status, headers, await ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture), bodyDeadline.Token), Complete: true);
            }

            return new RawResponse(status, headers, await ReadToEndAsync(bodyDeadline.Token), Complete: true);
        }
        catch (OperationCanceledException)
        {
            return new RawResponse(status, headers, [], Complete: false);
        }
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("connection closed inside a chunked body");
            var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while (await ReadLineAsync(cancellationToken) is { Length: > 0 })
                {
                }

                return body.ToArray();
            }

            body.Write(await ReadExactlyAsync(size, cancellationToken));
            await ReadLineAsync(cancellationToken);
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException($"connection closed after {filled} of {count} body bytes");
            }

            var take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }

        return result;
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        do
        {
            body.Write(_buffer, _start, _end - _start);
            _start = _end;
        }
        while (await FillAsync(cancellationToken));

        return body.ToArray();
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return line.Length == 0 ? null : throw new EndOfStreamException("connection closed inside a line");
            }

            var b = _buffer[_start++];
            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)b);
            if (line.Length > 1_000_000)
            {
                throw new InvalidDataException("a response line over 1 MB");
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}
