using System.Collections;
using System.Diagnostics;

namespace StoreProvisioning.Functions.Tests.Infrastructure;

/// <summary>
/// The in-memory exporter's target: spans end on many threads (and other tests' harnesses share the process-wide
/// listeners), so adds and reads take a lock; enumeration is over a snapshot.
/// </summary>
public sealed class SpanList : ICollection<Activity>
{
    private readonly List<Activity> spans = [];

    /// <summary>Everything a span carries that an exporter sends: name, status, attributes, events.</summary>
    public static string Describe(Activity span) =>
        $"{span.DisplayName} {span.StatusDescription} "
        + string.Join(' ', span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
        + string.Join(' ', span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")));

    public int Count
    {
        get
        {
            lock (spans)
            {
                return spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        lock (spans)
        {
            spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (spans)
        {
            spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (spans)
        {
            return spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (spans)
        {
            spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (spans)
        {
            return spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (spans)
        {
            return spans.ToList().GetEnumerator();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
