using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ApartmentManager.Text;

namespace ApartmentManager.Llm;

/// <summary>A cached answer: the text and the model that wrote it.</summary>
public sealed record CachedAnswer(string Text, string Model);

/// <summary>
/// Answers by key, reused until they expire. The key (<see cref="KeyFor"/>) is the task, the prompt id and version, and
/// the normalised input, so a new prompt version never reuses an old answer and trivially different inputs
/// (case, spacing, Unicode forms) share one.
/// </summary>
public interface ILlmResponseCache
{
    bool TryGet(string key, out CachedAnswer answer);
    void Set(string key, CachedAnswer answer);
}

/// <summary>Process-local, bounded (oldest entries dropped first), time-limited.</summary>
public sealed class InMemoryLlmResponseCache(int capacity, TimeSpan ttl, TimeProvider clock) : ILlmResponseCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (CachedAnswer Answer, DateTimeOffset Expires, LinkedListNode<string> Node)> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string key, out CachedAnswer answer)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                if (entry.Expires > clock.GetUtcNow())
                {
                    answer = entry.Answer;
                    return true;
                }
                _order.Remove(entry.Node);
                _entries.Remove(key);
            }
        }
        answer = null!;
        return false;
    }

    public void Set(string key, CachedAnswer answer)
    {
        if (capacity <= 0)
        {
            return;
        }
        lock (_gate)
        {
            if (_entries.Remove(key, out var old))
            {
                _order.Remove(old.Node);
            }
            while (_entries.Count >= capacity && _order.First is { } oldest)
            {
                _entries.Remove(oldest.Value);
                _order.RemoveFirst();
            }
            _entries[key] = (answer, clock.GetUtcNow() + ttl, _order.AddLast(key));
        }
    }

    /// <summary>The cache key of an input: SHA-256 over task, prompt id, prompt version and the input's canonical form.</summary>
    public static string KeyFor(string task, PromptTemplate prompt, string input) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{task}\n{prompt.Id}\n{prompt.Version}\n{CanonicalText.Of(input)}"))));
}
