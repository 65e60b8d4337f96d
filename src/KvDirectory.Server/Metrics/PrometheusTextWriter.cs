using System.Globalization;
using System.Text;
using KvDirectory.Node.Metrics;

namespace KvDirectory.Server.Metrics;

/// <summary>Writes metric families in the Prometheus text exposition format (version 0.0.4).</summary>
public sealed class PrometheusTextWriter
{
    private readonly StringBuilder _text = new();

    public void Counter(string name, string help, double value) => Single(name, help, "counter", value);

    public void Gauge(string name, string help, double value) => Single(name, help, "gauge", value);

    /// <summary>A family with one sample per label set, e.g. requests by method and status code.</summary>
    public void LabelledCounter(string name, string help, IEnumerable<(string Labels, double Value)> samples)
    {
        Header(name, help, "counter");
        foreach (var (labels, value) in samples)
        {
            _text.Append(name).Append('{').Append(labels).Append("} ").Append(Format(value)).Append('\n');
        }
    }

    public void Histogram(Histogram histogram)
    {
        Header(histogram.Name, histogram.Help, "histogram");
        var cumulative = histogram.CumulativeCounts();
        for (var i = 0; i < cumulative.Length; i++)
        {
            _text.Append(histogram.Name).Append("_bucket{le=\"").Append(Format(histogram.UpperBounds[i])).Append("\"} ")
                .Append(cumulative[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        var count = histogram.Count;
        _text.Append(histogram.Name).Append("_bucket{le=\"+Inf\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        _text.Append(histogram.Name).Append("_sum ").Append(Format(histogram.Sum)).Append('\n');
        _text.Append(histogram.Name).Append("_count ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    public override string ToString() => _text.ToString();

    /// <summary>Escapes a label value as the format requires (backslash, quote, newline).</summary>
    public static string LabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private void Single(string name, string help, string type, double value)
    {
        Header(name, help, type);
        _text.Append(name).Append(' ').Append(Format(value)).Append('\n');
    }

    private void Header(string name, string help, string type) =>
        _text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
