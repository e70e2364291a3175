namespace ApartmentManager.ModelTraining.Training;

/// <summary>A sparse feature row (sorted bucket indices and their values).</summary>
public readonly record struct SparseRow(int[] Indices, float[] Values);

/// <summary>Weights row-major [dimension, classes] plus biases, as exported to ONNX (float).</summary>
public sealed record LinearModel(int Dimension, int Classes, float[] Weights, float[] Bias)
{
    /// <summary>The trainer's own prediction (softmax of the float weights, accumulated in double).</summary>
    public double[] PredictProba(SparseRow row)
    {
        var z = new double[Classes];
        for (var c = 0; c < Classes; c++)
        {
            z[c] = Bias[c];
        }
        for (var k = 0; k < row.Indices.Length; k++)
        {
            var off = row.Indices[k] * Classes;
            for (var c = 0; c < Classes; c++)
            {
                z[c] += row.Values[k] * Weights[off + c];
            }
        }
        return SoftmaxRegression.Softmax(z);
    }
}

/// <summary>
/// Multinomial logistic regression trained by full-batch Nesterov gradient descent on class-weighted cross-entropy with L2.
/// Full batch and a fixed iteration count make it exactly reproducible (no sampling at all).
/// </summary>
public static class SoftmaxRegression
{
    public sealed record Options(int Iterations = 300, double LearningRate = 2.0, double L2 = 1e-4, bool BalanceClasses = true);

    public static LinearModel Train(IReadOnlyList<SparseRow> rows, IReadOnlyList<int> labels, int classes, int dimension, Options options)
    {
        var n = rows.Count;
        var sampleWeight = new double[n];
        var counts = new double[classes];
        foreach (var y in labels)
        {
            counts[y]++;
        }
        for (var i = 0; i < n; i++)
        {
            sampleWeight[i] = options.BalanceClasses ? n / (classes * Math.Max(1, counts[labels[i]])) : 1.0;
        }
        var totalWeight = sampleWeight.Sum();

        var p = dimension * classes;
        var w = new double[p + classes];
        var m = new double[w.Length];
        var grad = new double[w.Length];
        const double Momentum = 0.9;
        var z = new double[classes];
        for (var it = 1; it <= options.Iterations; it++)
        {
            Array.Clear(grad);
            for (var i = 0; i < n; i++)
            {
                var row = rows[i];
                for (var c = 0; c < classes; c++)
                {
                    z[c] = w[p + c];
                }
                for (var k = 0; k < row.Indices.Length; k++)
                {
                    var off = row.Indices[k] * classes;
                    for (var c = 0; c < classes; c++)
                    {
                        z[c] += row.Values[k] * w[off + c];
                    }
                }
                var prob = Softmax(z);
                var sw = sampleWeight[i] / totalWeight;
                for (var c = 0; c < classes; c++)
                {
                    var g = sw * (prob[c] - (labels[i] == c ? 1 : 0));
                    grad[p + c] += g;
                    for (var k = 0; k < row.Indices.Length; k++)
                    {
                        grad[row.Indices[k] * classes + c] += g * row.Values[k];
                    }
                }
            }
            // Nesterov-momentum gradient descent: unlike Adam it does not inflate the steps of rare,
            // template-specific n-grams, which generalises far better on unseen phrasings.
            var lr = options.LearningRate;
            for (var j = 0; j < w.Length; j++)
            {
                var g = grad[j] + (j < p ? options.L2 * w[j] : 0);
                var prev = m[j];
                m[j] = Momentum * m[j] - lr * g;
                w[j] += -Momentum * prev + (1 + Momentum) * m[j];
            }
        }
        return new LinearModel(dimension, classes, w.Take(p).Select(x => (float)x).ToArray(), w.Skip(p).Select(x => (float)x).ToArray());
    }

    public static double[] Softmax(double[] z)
    {
        var max = z.Max();
        var e = z.Select(x => Math.Exp(x - max)).ToArray();
        var s = e.Sum();
        return e.Select(x => x / s).ToArray();
    }
}
