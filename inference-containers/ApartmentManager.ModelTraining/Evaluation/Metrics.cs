namespace ApartmentManager.ModelTraining.Evaluation;

public sealed record ClassReport(string Label, int Support, double Precision, double Recall, double F1);

public sealed record ClassificationReport(double Accuracy, double MacroF1, IReadOnlyList<ClassReport> PerClass, int[][] Confusion);

public sealed record ReliabilityBin(double From, double To, int Count, double MeanPredicted, double ObservedRate);

public static class Metrics
{
    public static ClassificationReport Classification(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<string> labels)
    {
        var k = labels.Count;
        var confusion = Enumerable.Range(0, k).Select(_ => new int[k]).ToArray();
        for (var i = 0; i < truth.Count; i++)
        {
            confusion[truth[i]][predicted[i]]++;
        }
        var per = new List<ClassReport>();
        for (var c = 0; c < k; c++)
        {
            var tp = confusion[c][c];
            var support = confusion[c].Sum();
            var predictedC = confusion.Sum(r => r[c]);
            var precision = predictedC == 0 ? 0 : tp / (double)predictedC;
            var recall = support == 0 ? 0 : tp / (double)support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            per.Add(new ClassReport(labels[c], support, Math.Round(precision, 4), Math.Round(recall, 4), Math.Round(f1, 4)));
        }
        var accuracy = Enumerable.Range(0, k).Sum(c => confusion[c][c]) / (double)truth.Count;
        var present = per.Where(p => p.Support > 0).ToList();
        return new ClassificationReport(Math.Round(accuracy, 4), Math.Round(present.Average(p => p.F1), 4), per, confusion);
    }

    /// <summary>ROC-AUC by the rank-sum (Mann–Whitney) formula with tie correction.</summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }
            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        double pos = labels.Count(l => l == 1), neg = labels.Count - pos;
        var sumPos = Enumerable.Range(0, labels.Count).Where(i => labels[i] == 1).Sum(i => ranks[i]);
        return (sumPos - pos * (pos + 1) / 2) / (pos * neg);
    }

    public static double Brier(IReadOnlyList<double> p, IReadOnlyList<int> y) => Enumerable.Range(0, p.Count).Average(i => Math.Pow(p[i] - y[i], 2));

    public static double LogLoss(IReadOnlyList<double> p, IReadOnlyList<int> y) =>
        -Enumerable.Range(0, p.Count).Average(i => y[i] == 1 ? Math.Log(Math.Max(p[i], 1e-15)) : Math.Log(Math.Max(1 - p[i], 1e-15)));

    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<double> p, IReadOnlyList<int> y, int bins = 10)
    {
        var list = new List<ReliabilityBin>();
        for (var b = 0; b < bins; b++)
        {
            double lo = b / (double)bins, hi = (b + 1) / (double)bins;
            var idx = Enumerable.Range(0, p.Count).Where(i => p[i] >= lo && (p[i] < hi || (b == bins - 1 && p[i] <= hi))).ToList();
            list.Add(new ReliabilityBin(lo, hi, idx.Count,
                idx.Count == 0 ? 0 : Math.Round(idx.Average(i => p[i]), 4),
                idx.Count == 0 ? 0 : Math.Round(idx.Average(i => (double)y[i]), 4)));
        }
        return list;
    }

    /// <summary>Expected calibration error over the reliability bins.</summary>
    public static double Ece(IReadOnlyList<ReliabilityBin> bins) =>
        bins.Sum(b => b.Count * Math.Abs(b.MeanPredicted - b.ObservedRate)) / Math.Max(1, bins.Sum(b => b.Count));
}
