using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StoreProvisioning.Api.Tests.Infrastructure;

/// <summary>One sample line: metric name, labels, value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public bool Has(params (string Name, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Name, out var v) && v == l.Value);
}

/// <summary>
/// A small, strict reader of the Prometheus text exposition format (version 0.0.4), so the tests check what a real
/// scraper would accept rather than searching the text: metric and label names by the format's grammar, label values
/// with only the three escapes it allows, HELP/TYPE at most once per family and before its samples, a family's lines
/// together, no duplicate series, counters named *_total, histograms with cumulative le buckets ending at +Inf equal to
/// _count, and _sum. Any violation throws <see cref="FormatException"/> naming the line.
/// </summary>
public sealed partial class PrometheusText
{
    private readonly Dictionary<string, string> types = new(StringComparer.Ordinal);
    private readonly List<PrometheusSample> samples = [];

    private PrometheusText()
    {
    }

    /// <summary>Family name → type (counter, gauge, histogram, summary, untyped).</summary>
    public IReadOnlyDictionary<string, string> Types => types;

    public IReadOnlyList<PrometheusSample> Samples => samples;

    /// <summary>The value of the one series of <paramref name="name"/> with exactly these labels (among others none); 0 when absent.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matching = samples.Where(s => s.Name == name && s.Labels.Count == labels.Length && s.Has(labels)).ToList();
        return matching.Count switch
        {
            0 => 0,
            1 => matching[0].Value,
            _ => throw new FormatException($"{matching.Count} series of {name} with the same labels"),
        };
    }

    public IEnumerable<PrometheusSample> Series(string name) => samples.Where(s => s.Name == name);

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        parsed.Read(text);
        return parsed;
    }

    private void Read(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition does not end with a line feed");
        }

        var helps = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var lineNumber = 0;
        foreach (var line in text.Split('\n').SkipLast(1))
        {
            lineNumber++;
            string Where() => $"line {lineNumber}: '{line}'";
            if (line.Contains('\r'))
            {
                throw new FormatException("carriage return in " + Where());
            }

            if (line.Length == 0)
            {
                continue;
            }

            string family;
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length < 3 || parts[0] != "#" || parts[1] is not ("HELP" or "TYPE"))
                {
                    continue; // An ordinary comment.
                }

                family = parts[2];
                if (MetricName().Match(family) is not { Index: 0 } whole || whole.Length != family.Length)
                {
                    throw new FormatException("bad metric name in " + Where());
                }

                if (parts[1] == "HELP")
                {
                    if (!helps.Add(family))
                    {
                        throw new FormatException("second HELP in " + Where());
                    }
                }
                else
                {
                    var type = parts.Length == 4 ? parts[3] : string.Empty;
                    if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    {
                        throw new FormatException("unknown TYPE in " + Where());
                    }

                    if (!types.TryAdd(family, type))
                    {
                        throw new FormatException("second TYPE in " + Where());
                    }

                    if (samples.Any(s => FamilyOf(s.Name) == family))
                    {
                        throw new FormatException("TYPE after the family's samples in " + Where());
                    }
                }
            }
            else
            {
                var sample = ReadSample(line, Where);
                family = FamilyOf(sample.Name);
                var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
                if (!seen.Add(key))
                {
                    throw new FormatException("duplicate series in " + Where());
                }

                samples.Add(sample);
            }

            if (family != current)
            {
                if (finished.Contains(family))
                {
                    throw new FormatException($"family {family} resumes after other families at " + Where());
                }

                if (current is not null)
                {
                    finished.Add(current);
                }

                current = family;
            }
        }

        CheckTypes();
    }

    // A sample's family: the histogram/summary name without its suffix when such a family was declared.
    private string FamilyOf(string name)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private void CheckTypes()
    {
        foreach (var (family, type) in types)
        {
            switch (type)
            {
                case "counter":
                    if (!family.EndsWith("_total", StringComparison.Ordinal))
                    {
                        throw new FormatException($"counter {family} is not named *_total");
                    }

                    foreach (var s in Series(family).Where(s => s.Value < 0 || double.IsNaN(s.Value)))
                    {
                        throw new FormatException($"counter {family} has the value {s.Value}");
                    }

                    break;
                case "histogram":
                    if (samples.Any(s => s.Name == family))
                    {
                        throw new FormatException($"histogram {family} has a bare sample");
                    }

                    foreach (var series in Series(family + "_bucket").GroupBy(s => Key(s.Labels, except: "le")))
                    {
                        var buckets = series.Select(s => (Le: s.Labels.TryGetValue("le", out var le) ? ParseValue(le) : throw new FormatException($"{family}_bucket without le"), s.Value)).ToList();
                        if (buckets.Zip(buckets.Skip(1)).Any(p => p.First.Le >= p.Second.Le || p.First.Value > p.Second.Value))
                        {
                            throw new FormatException($"{family} buckets are not increasing and cumulative for {series.Key}");
                        }

                        if (!double.IsPositiveInfinity(buckets[^1].Le))
                        {
                            throw new FormatException($"{family} has no +Inf bucket for {series.Key}");
                        }

                        var count = Series(family + "_count").SingleOrDefault(s => Key(s.Labels) == series.Key)
                            ?? throw new FormatException($"{family} has no _count for {series.Key}");
                        if (count.Value != buckets[^1].Value || !Series(family + "_sum").Any(s => Key(s.Labels) == series.Key))
                        {
                            throw new FormatException($"{family} _count differs from the +Inf bucket, or _sum is missing, for {series.Key}");
                        }
                    }

                    break;
            }
        }
    }

    private static string Key(IReadOnlyDictionary<string, string> labels, string? except = null) =>
        string.Join(",", labels.Where(l => l.Key != except).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));

    private static PrometheusSample ReadSample(string line, Func<string> where)
    {
        var match = MetricName().Match(line);
        if (!match.Success || match.Index != 0)
        {
            throw new FormatException("bad metric name in " + where());
        }

        var name = match.Value;
        var i = name.Length;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var label = LabelName().Match(line, i);
                if (!label.Success || label.Index != i || line.Length <= i + label.Length + 1 || line[i + label.Length] != '=' || line[i + label.Length + 1] != '"')
                {
                    throw new FormatException("bad label in " + where());
                }

                i += label.Length + 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new FormatException("unterminated label value in " + where());
                    }

                    var c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        value.Append(i < line.Length ? line[i++] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException("bad escape in " + where()),
                        } : throw new FormatException("bad escape in " + where()));
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                if (!labels.TryAdd(label.Value, value.ToString()))
                {
                    throw new FormatException("repeated label in " + where());
                }

                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
                else if (i >= line.Length || line[i] != '}')
                {
                    throw new FormatException("bad label list in " + where());
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException("no value in " + where());
        }

        var rest = line[(i + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2 || (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException("bad value or timestamp in " + where());
        }

        return new PrometheusSample(name, labels, ParseValue(rest[0], where));
    }

    private static double ParseValue(string text) => ParseValue(text, () => text);

    private static double ParseValue(string text, Func<string> where) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when FloatValue().IsMatch(text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException("bad number in " + where()),
    };

    [GeneratedRegex("[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();

    [GeneratedRegex("[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex FloatValue();
}
