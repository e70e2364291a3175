using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ApartmentManager.Text;

namespace ApartmentManager.Scoring;

/// <summary>
/// Bounded cache of sentence embeddings keyed by the SHA-256 of the text's <see cref="CanonicalText"/> form (folded,
/// lower-cased, white space collapsed — the encoder lower-cases and drops invisible characters anyway, so texts that
/// differ only there get the same vector). Oldest entries leave first once <see cref="Capacity"/> is reached.
/// Thread-safe. Vectors are shared: callers must not modify them.
/// </summary>
public sealed class EmbeddingCache
{
    private readonly ConcurrentDictionary<string, float[]> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private long _hits;
    private long _misses;

    public EmbeddingCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _entries.Count;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public static string KeyOf(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText.Of(text))));

    public bool TryGet(string key, out float[] vector)
    {
        if (_entries.TryGetValue(key, out var found))
        {
            Interlocked.Increment(ref _hits);
            vector = found;
            return true;
        }
        Interlocked.Increment(ref _misses);
        vector = [];
        return false;
    }

    public void Add(string key, float[] vector)
    {
        if (Capacity == 0 || !_entries.TryAdd(key, vector))
        {
            return;
        }
        _order.Enqueue(key);
        while (_entries.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            _entries.TryRemove(oldest, out _);
        }
    }
}
