using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Text;

namespace ApartmentManager.EmbeddingTraining;

/// <summary>
/// Word vectors from the knowledge base (and optionally a message corpus): a positive-PMI matrix of each term
/// against three kinds of context — nearby words, the section it appears in and the document it appears in —
/// reduced by a seeded randomized truncated SVD. Section and document contexts pull together the words that
/// describe the same policy topic, which is what retrieval needs; the word window adds general synonymy.
/// Everything is single-threaded and ordered, so a seed gives byte-identical output.
/// </summary>
public static class PpmiSvdTrainer
{
    public static TrainedEmbeddings Train(KnowledgeBase knowledgeBase, IReadOnlyList<string> messages, EmbeddingTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        var chunkTokens = knowledgeBase.Chunks.Select(c => TextTokenizer.Tokenize(c.IndexText)).ToList();
        var messageTokens = messages.Select(TextTokenizer.Tokenize).Where(t => t.Count > 1).ToList();

        // Vocabulary: every KB term, plus message terms seen often enough; ordered by frequency then spelling.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in chunkTokens.SelectMany(x => x))
        {
            counts[t] = counts.GetValueOrDefault(t) + 1;
        }

        var kbTerms = new HashSet<string>(counts.Keys, StringComparer.Ordinal);
        var messageCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in messageTokens.SelectMany(x => x))
        {
            messageCounts[t] = messageCounts.GetValueOrDefault(t) + 1;
        }

        foreach (var (t, c) in messageCounts)
        {
            if (kbTerms.Contains(t) || c >= options.MessageMinCount)
            {
                counts[t] = counts.GetValueOrDefault(t) + c;
            }
        }

        var terms = new List<string> { Knowledge.Embeddings.EmbeddingVocabulary.UnknownToken };
        terms.AddRange(counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key));
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < terms.Count; i++)
        {
            ids[terms[i]] = i;
        }

        var v = terms.Count;
        var sections = chunkTokens.Count;
        var docIndex = knowledgeBase.Documents.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);

        // Co-occurrence blocks (sparse rows): word×word within the window (1/distance weighted), word×section, word×document.
        var window = new Dictionary<int, double>[v];
        var section = new Dictionary<int, double>[v];
        var document = new Dictionary<int, double>[v];
        for (var i = 0; i < v; i++)
        {
            window[i] = [];
            section[i] = [];
            document[i] = [];
        }

        var windowUnits = chunkTokens.Concat(messageTokens).Select(u => u.Where(ids.ContainsKey).Select(t => ids[t]).ToArray());
        foreach (var unit in windowUnits)
        {
            for (var i = 0; i < unit.Length; i++)
            {
                for (var d = 1; d <= options.Window && i + d < unit.Length; d++)
                {
                    var w = 1.0 / d;
                    Add(window[unit[i]], unit[i + d], w);
                    Add(window[unit[i + d]], unit[i], w);
                }
            }
        }

        for (var c = 0; c < sections; c++)
        {
            var doc = docIndex[knowledgeBase.Chunks[c].DocumentId];
            foreach (var t in chunkTokens[c])
            {
                Add(section[ids[t]], c, 1);
                Add(document[ids[t]], doc, 1);
            }
        }

        // Row-wise PPMI per block, then concatenate the blocks into one sparse matrix [v, v + sections + documents].
        var rows = new List<(int Col, float Val)>[v];
        for (var i = 0; i < v; i++)
        {
            rows[i] = [];
        }

        AppendPpmi(window, v, 0, 1.0, options.ContextSmoothing, rows);
        AppendPpmi(section, sections, v, options.SectionBlockWeight, options.ContextSmoothing, rows);
        AppendPpmi(document, knowledgeBase.Documents.Count, v + sections, options.SectionBlockWeight, options.ContextSmoothing, rows);
        var columns = v + sections + knowledgeBase.Documents.Count;

        var (u, s) = RandomizedSvd(rows, columns, options.Dimensions, options.Oversampling, options.PowerIterations, new SplitMix64(options.Seed));

        var dim = options.Dimensions;
        var table = new float[v * dim];
        for (var i = 1; i < v; i++)
        {
            double norm = 0;
            var row = new double[dim];
            for (var d = 0; d < dim; d++)
            {
                row[d] = u[i, d] * Math.Pow(s[d], options.SingularValuePower);
                norm += row[d] * row[d];
            }

            // Unit rows: a word's direction carries its meaning; its importance comes from the idf weight instead.
            norm = Math.Sqrt(norm);
            for (var d = 0; d < dim; d++)
            {
                table[(i * dim) + d] = norm > 1e-12 ? (float)(row[d] / norm) : 0f;
            }
        }

        var weights = new float[v];
        var df = new int[v];
        foreach (var chunk in chunkTokens)
        {
            foreach (var t in chunk.Distinct(StringComparer.Ordinal))
            {
                df[ids[t]]++;
            }
        }

        for (var i = 1; i < v; i++)
        {
            weights[i] = (float)(Math.Log((sections + 1.0) / (df[i] + 1.0)) + 1.0);
        }

        return new TrainedEmbeddings(terms, weights, table, dim, TrainedEmbeddings.MakeVersion(options, terms, table));
    }

    private static void Add(Dictionary<int, double> row, int col, double w) => row[col] = row.GetValueOrDefault(col) + w;

    private static void AppendPpmi(Dictionary<int, double>[] block, int contextCount, int offset, double scale, double alpha, List<(int, float)>[] rows)
    {
        var rowSum = new double[block.Length];
        var colSum = new double[contextCount];
        double total = 0;
        for (var i = 0; i < block.Length; i++)
        {
            foreach (var (c, x) in block[i])
            {
                rowSum[i] += x;
                colSum[c] += x;
                total += x;
            }
        }

        if (total <= 0)
        {
            return;
        }

        var smoothed = colSum.Select(x => Math.Pow(x, alpha)).ToArray();
        var smoothedTotal = smoothed.Sum();
        for (var i = 0; i < block.Length; i++)
        {
            foreach (var (c, x) in block[i].OrderBy(kv => kv.Key))
            {
                var pmi = Math.Log((x / total) / ((rowSum[i] / total) * (smoothed[c] / smoothedTotal)));
                if (pmi > 0)
                {
                    rows[i].Add((offset + c, (float)(pmi * scale)));
                }
            }
        }
    }

    /// <summary>Halko–Martinsson–Tropp randomized SVD of a sparse matrix; returns U [rows, k] and singular values.</summary>
    internal static (double[,] U, double[] S) RandomizedSvd(List<(int Col, float Val)>[] a, int columns, int k, int oversampling, int powerIterations, SplitMix64 rng)
    {
        var m = a.Length;
        var l = Math.Min(k + oversampling, Math.Min(m, columns));
        var omega = new double[columns, l];
        for (var c = 0; c < columns; c++)
        {
            for (var j = 0; j < l; j++)
            {
                omega[c, j] = rng.NextGaussian();
            }
        }

        var q = Orthonormalize(MultiplyA(a, omega, l));
        for (var it = 0; it < powerIterations; it++)
        {
            var z = Orthonormalize(MultiplyAt(a, q, columns, l));
            q = Orthonormalize(MultiplyA(a, z, l));
        }

        // B = Qᵀ A = (Aᵀ Q)ᵀ; the eigen-decomposition of B Bᵀ (l × l) gives B's left singular vectors and values.
        var bt = MultiplyAt(a, q, columns, l);
        var g = new double[l, l];
        for (var c = 0; c < columns; c++)
        {
            for (var i = 0; i < l; i++)
            {
                var x = bt[c, i];
                if (x == 0)
                {
                    continue;
                }

                for (var j = 0; j < l; j++)
                {
                    g[i, j] += x * bt[c, j];
                }
            }
        }

        var (values, vectors) = JacobiEigen(g);
        var order = Enumerable.Range(0, l).OrderByDescending(i => values[i]).ThenBy(i => i).Take(k).ToArray();
        var u = new double[m, k];
        var s = new double[k];
        for (var d = 0; d < k; d++)
        {
            var e = order[d];
            s[d] = Math.Sqrt(Math.Max(values[e], 0));

            // Fix each vector's sign (largest component positive) so the output does not depend on solver details.
            double dominant = 0;
            for (var i = 0; i < m; i++)
            {
                double x = 0;
                for (var j = 0; j < l; j++)
                {
                    x += q[i, j] * vectors[j, e];
                }

                u[i, d] = x;
                if (Math.Abs(x) > Math.Abs(dominant))
                {
                    dominant = x;
                }
            }

            if (dominant < 0)
            {
                for (var i = 0; i < m; i++)
                {
                    u[i, d] = -u[i, d];
                }
            }
        }

        return (u, s);
    }

    private static double[,] MultiplyA(List<(int Col, float Val)>[] a, double[,] x, int l)
    {
        var y = new double[a.Length, l];
        for (var i = 0; i < a.Length; i++)
        {
            foreach (var (c, val) in a[i])
            {
                for (var j = 0; j < l; j++)
                {
                    y[i, j] += val * x[c, j];
                }
            }
        }

        return y;
    }

    private static double[,] MultiplyAt(List<(int Col, float Val)>[] a, double[,] q, int columns, int l)
    {
        var z = new double[columns, l];
        for (var i = 0; i < a.Length; i++)
        {
            foreach (var (c, val) in a[i])
            {
                for (var j = 0; j < l; j++)
                {
                    z[c, j] += val * q[i, j];
                }
            }
        }

        return z;
    }

    /// <summary>Modified Gram–Schmidt on the columns, in place; a column that vanishes is left at zero.</summary>
    private static double[,] Orthonormalize(double[,] y)
    {
        var n = y.GetLength(0);
        var l = y.GetLength(1);
        for (var j = 0; j < l; j++)
        {
            for (var p = 0; p < j; p++)
            {
                double dot = 0;
                for (var i = 0; i < n; i++)
                {
                    dot += y[i, p] * y[i, j];
                }

                for (var i = 0; i < n; i++)
                {
                    y[i, j] -= dot * y[i, p];
                }
            }

            double norm = 0;
            for (var i = 0; i < n; i++)
            {
                norm += y[i, j] * y[i, j];
            }

            norm = Math.Sqrt(norm);
            for (var i = 0; i < n; i++)
            {
                y[i, j] = norm > 1e-12 ? y[i, j] / norm : 0;
            }
        }

        return y;
    }

    /// <summary>Cyclic Jacobi eigen-decomposition of a small symmetric matrix.</summary>
    private static (double[] Values, double[,] Vectors) JacobiEigen(double[,] input)
    {
        var n = input.GetLength(0);
        var a = (double[,])input.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            v[i, i] = 1;
        }

        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (var p = 0; p < n; p++)
            {
                for (var r = p + 1; r < n; r++)
                {
                    off += a[p, r] * a[p, r];
                }
            }

            if (off < 1e-22)
            {
                break;
            }

            for (var p = 0; p < n - 1; p++)
            {
                for (var r = p + 1; r < n; r++)
                {
                    if (Math.Abs(a[p, r]) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (a[r, r] - a[p, p]) / (2 * a[p, r]);
                    var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < n; k++)
                    {
                        var akp = a[k, p];
                        var akr = a[k, r];
                        a[k, p] = (c * akp) - (s * akr);
                        a[k, r] = (s * akp) + (c * akr);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var apk = a[p, k];
                        var ark = a[r, k];
                        a[p, k] = (c * apk) - (s * ark);
                        a[r, k] = (s * apk) + (c * ark);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        var vkp = v[k, p];
                        var vkr = v[k, r];
                        v[k, p] = (c * vkp) - (s * vkr);
                        v[k, r] = (s * vkp) + (c * vkr);
                    }
                }
            }
        }

        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = a[i, i];
        }

        return (values, v);
    }
}
