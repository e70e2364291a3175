using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ApartmentManager.Scoring;

/// <summary>
/// Bounded cache of sentence embeddings keyed by the SHA-256 of the normalised text (Unicode NFKC, whitespace runs
/// collapsed, trimmed, lower-cased — the encoder lower-cases anyway, so texts that differ only there get the same
/// vector). Oldest entries leave first once <see cref="Capacity"/> is reached. Thread-safe. Vectors are shared: callers
/// must not modify them.
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

    public static string KeyOf(string text)
    {
        var normalised = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(normalised.Length);
        var space = false;
        foreach (var ch in normalised)
        {
            if (char.IsWhiteSpace(ch))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(char.ToLower(ch, CultureInfo.InvariantCulture));
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

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
