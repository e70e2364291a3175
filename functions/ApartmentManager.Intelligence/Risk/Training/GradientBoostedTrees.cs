using ApartmentManager.Onnx;

namespace ApartmentManager.Intelligence.Risk.Training;

/// <summary>
/// A small, deterministic gradient-boosted tree learner for binary log-loss (Newton leaves, L2, histogram splits,
/// seeded row subsampling). Missing values (NaN) always take the false branch, exactly as ONNX Runtime does
/// with nodes_missing_value_tracks_true = 0.
/// </summary>
public static class GradientBoostedTrees
{
    public sealed record Options(int Trees = 250, int MaxDepth = 4, double LearningRate = 0.08, int MinLeaf = 40, double L2 = 1.0,
        int Bins = 48, double Subsample = 0.8, int Seed = 7);

    public static GbdtModel Train(IReadOnlyList<float[]> x, IReadOnlyList<int> y, Options o) =>
        Train(x, y.Select(v => (double)v).ToList(), null, o);

    /// <summary>
    /// Trains on targets in [0, 1] (0/1 labels, or probabilities as soft labels) with optional row weights: the
    /// gradient and hessian of each row are scaled by its weight. With 0/1 targets and no weights, the same model as the
    /// integer overload. With <paramref name="initialMargin"/> the boosting continues from those log-odds (another
    /// model's output) and the result has base score 0: its trees are what to add to that model.
    /// </summary>
    public static GbdtModel Train(IReadOnlyList<float[]> x, IReadOnlyList<double> y, IReadOnlyList<double>? weights, Options o,
        IReadOnlyList<double>? initialMargin = null)
    {
        var n = x.Count;
        var f = x[0].Length;
        var thresholds = new float[f][];
        var bins = new byte[f][]; // bin per row; 255 = missing
        for (var j = 0; j < f; j++)
        {
            thresholds[j] = CutPoints(x.Select(r => r[j]).Where(v => !float.IsNaN(v)).ToArray(), o.Bins);
            bins[j] = new byte[n];
            for (var i = 0; i < n; i++)
            {
                bins[j][i] = BinOf(x[i][j], thresholds[j]);
            }
        }

        double positives = 0, total = 0;
        for (var i = 0; i < n; i++)
        {
            var w = weights?[i] ?? 1.0;
            positives += w * y[i];
            total += w;
        }
        var prior = Math.Clamp(positives / total, 1e-6, 1 - 1e-6);
        var baseScore = initialMargin is null ? (float)Math.Log(prior / (1 - prior)) : 0f;
        var margin = initialMargin is null ? Enumerable.Repeat((double)baseScore, n).ToArray() : [.. initialMargin];
        var rng = new Random(o.Seed);
        var trees = new List<GbdtNode[]>();
        var g = new double[n];
        var h = new double[n];
        for (var t = 0; t < o.Trees; t++)
        {
            for (var i = 0; i < n; i++)
            {
                var p = 1 / (1 + Math.Exp(-margin[i]));
                var w = weights?[i] ?? 1.0;
                g[i] = w * (p - y[i]);
                h[i] = Math.Max(w * p * (1 - p), 1e-12);
            }
            var rows = Enumerable.Range(0, n).Where(_ => rng.NextDouble() < o.Subsample).ToArray();
            var nodes = new List<GbdtNode>();
            Grow(nodes, rows, 0, bins, thresholds, g, h, o);
            var tree = nodes.ToArray();
            trees.Add(tree);
            for (var i = 0; i < n; i++)
            {
                margin[i] += GbdtModel.Leaf(tree, x[i]).Value;
            }
        }
        return new GbdtModel(f, baseScore, trees);
    }

    private static int Grow(List<GbdtNode> nodes, int[] rows, int depth, byte[][] bins, float[][] thresholds, double[] g, double[] h, Options o)
    {
        double G = 0, H = 0;
        foreach (var r in rows)
        {
            G += g[r];
            H += h[r];
        }
        var value = (float)(-G / (H + o.L2) * o.LearningRate);
        var id = nodes.Count;
        nodes.Add(new GbdtNode(-1, 0, -1, -1, value, rows.Length));
        if (depth >= o.MaxDepth || rows.Length < 2 * o.MinLeaf)
        {
            return id;
        }

        var parentScore = G * G / (H + o.L2);
        double bestGain = 1e-9;
        int bestFeature = -1, bestBin = -1;
        for (var j = 0; j < thresholds.Length; j++)
        {
            var nb = thresholds[j].Length + 1;
            var hg = new double[nb];
            var hh = new double[nb];
            var hc = new int[nb];
            foreach (var r in rows)
            {
                var b = bins[j][r];
                if (b == 255)
                {
                    continue; // missing rows always go right
                }
                hg[b] += g[r];
                hh[b] += h[r];
                hc[b]++;
            }
            double gl = 0, hl = 0;
            var cl = 0;
            for (var b = 0; b < nb - 1; b++)
            {
                gl += hg[b];
                hl += hh[b];
                cl += hc[b];
                var cr = rows.Length - cl;
                if (cl < o.MinLeaf || cr < o.MinLeaf)
                {
                    continue;
                }
                var gr = G - gl;
                var hr = H - hl;
                var gain = gl * gl / (hl + o.L2) + gr * gr / (hr + o.L2) - parentScore;
                if (gain > bestGain)
                {
                    (bestGain, bestFeature, bestBin) = (gain, j, b);
                }
            }
        }
        if (bestFeature < 0)
        {
            return id;
        }
        var left = rows.Where(r => bins[bestFeature][r] <= bestBin).ToArray();
        var right = rows.Where(r => bins[bestFeature][r] > bestBin).ToArray(); // includes missing (255)
        var l = Grow(nodes, left, depth + 1, bins, thresholds, g, h, o);
        var rr = Grow(nodes, right, depth + 1, bins, thresholds, g, h, o);
        nodes[id] = nodes[id] with { Feature = bestFeature, Threshold = thresholds[bestFeature][bestBin], Left = l, Right = rr };
        return id;
    }

    /// <summary>Split candidates: midpoints between distinct values (or quantiles when there are many), as floats.</summary>
    private static float[] CutPoints(float[] values, int maxBins)
    {
        var distinct = values.Distinct().OrderBy(v => v).ToArray();
        if (distinct.Length <= 1)
        {
            return [];
        }
        if (distinct.Length <= maxBins)
        {
            return Enumerable.Range(0, distinct.Length - 1).Select(i => (float)((distinct[i] + (double)distinct[i + 1]) / 2)).ToArray();
        }
        var sorted = values.OrderBy(v => v).ToArray();
        var cuts = new SortedSet<float>();
        for (var q = 1; q < maxBins; q++)
        {
            var v = sorted[(int)((long)q * (sorted.Length - 1) / maxBins)];
            cuts.Add(v);
        }
        return cuts.Take(cuts.Count - (cuts.Max == distinct[^1] ? 1 : 0)).ToArray();
    }

    private static byte BinOf(float v, float[] thresholds)
    {
        if (float.IsNaN(v))
        {
            return 255;
        }
        var b = 0;
        while (b < thresholds.Length && v > thresholds[b])
        {
            b++;
        }
        return (byte)b;
    }
}

/// <summary>A tree node; <see cref="Value"/> is the shrunk Newton value at the node (leaf output, or the path baseline for explanations).</summary>
public sealed record GbdtNode(int Feature, float Threshold, int Left, int Right, float Value, int Count)
{
    public bool IsLeaf => Feature < 0;
}

public sealed record GbdtModel(int FeatureCount, float BaseScore, IReadOnlyList<GbdtNode[]> Trees)
{
    /// <summary>The trainer's own margin: base + Σ leaves, using float comparisons like ONNX Runtime.</summary>
    public double PredictMargin(float[] x)
    {
        double m = BaseScore;
        foreach (var t in Trees)
        {
            m += Leaf(t, x).Value;
        }
        return m;
    }

    public double PredictProbability(float[] x) => 1 / (1 + Math.Exp(-PredictMargin(x)));

    /// <summary>Path-attribution contributions: [bias, feature 0..F-1]; they sum to the margin.</summary>
    public double[] Contributions(float[] x)
    {
        var c = new double[FeatureCount + 1];
        c[0] = BaseScore;
        foreach (var t in Trees)
        {
            var node = t[0];
            c[0] += node.Value;
            while (!node.IsLeaf)
            {
                var next = t[x[node.Feature] <= node.Threshold ? node.Left : node.Right];
                c[1 + node.Feature] += next.Value - node.Value;
                node = next;
            }
        }
        return c;
    }

    internal static GbdtNode Leaf(GbdtNode[] tree, float[] x)
    {
        var node = tree[0];
        while (!node.IsLeaf)
        {
            node = tree[x[node.Feature] <= node.Threshold ? node.Left : node.Right];
        }
        return node;
    }

    /// <summary>
    /// Exports as a multi-target ensemble: target 0 = margin, target 1 = bias (base + root values), target 2+f =
    /// the contribution of feature f along the path to the leaf. The ONNX graph thus explains itself.
    /// </summary>
    public TreeEnsemble ToOnnxEnsemble()
    {
        var targets = FeatureCount + 2;
        var trees = new List<IReadOnlyList<TreeNode>>();
        foreach (var t in Trees)
        {
            var nodes = new TreeNode[t.Length];
            for (var i = 0; i < t.Length; i++)
            {
                var n = t[i];
                nodes[i] = n.IsLeaf ? TreeNode.Leaf(LeafTargets(t, i, targets)) : TreeNode.Split(n.Feature, n.Threshold, n.Left, n.Right);
            }
            trees.Add(nodes);
        }
        var baseValues = new float[targets];
        baseValues[0] = BaseScore;
        baseValues[1] = BaseScore;
        return new TreeEnsemble(FeatureCount, targets, trees, baseValues);
    }

    private float[] LeafTargets(GbdtNode[] tree, int leaf, int targets)
    {
        // Walk root → leaf to find the path (trees are small; a parent search is cheap).
        var parent = new int[tree.Length];
        Array.Fill(parent, -1);
        for (var i = 0; i < tree.Length; i++)
        {
            if (!tree[i].IsLeaf)
            {
                parent[tree[i].Left] = i;
                parent[tree[i].Right] = i;
            }
        }
        var w = new double[targets];
        w[0] = tree[leaf].Value;
        w[1] = tree[0].Value;
        for (var child = leaf; parent[child] >= 0; child = parent[child])
        {
            var p = parent[child];
            w[2 + tree[p].Feature] += tree[child].Value - tree[p].Value;
        }
        return w.Select(v => (float)v).ToArray();
    }
}
