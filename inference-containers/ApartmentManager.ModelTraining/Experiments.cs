using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Rules;
using ApartmentManager.Intelligence.Text;
using ApartmentManager.ModelTraining.Data;
using ApartmentManager.ModelTraining.Training;

namespace ApartmentManager.ModelTraining;

/// <summary>Developer aids: "--explain text" prints rule matches; "--sweep" compares text-model settings on the split.</summary>
internal static class Experiments
{
    public static void Explain(string text)
    {
        var r = RulesEngine.Default.Evaluate(text);
        foreach (var m in r.Matches)
        {
            Console.WriteLine($"  {(m.Negated ? "NEGATED " : "")}\"{m.Cue.Phrase}\" cat={m.Cue.Category} floor={m.Cue.UrgencyFloor} at {m.Position}");
        }
        Console.WriteLine($"  decisive={r.DecisiveCategory} floor={r.UrgencyFloor} hazards={r.HazardCount}");
    }

    /// <summary>"--classify text": the committed models as the hosts run them (rules + encoder heads + n-gram model).</summary>
    public static async Task ClassifyAsync(string root, string text)
    {
        var models = Path.Combine(root, "inference-containers", "models");
        using var ngram = new ApartmentManager.Intelligence.Classifier.OnnxTextModel(Path.Combine(models, "text-classifier.onnx"));
        using var heads = new ApartmentManager.Intelligence.Classifier.OnnxEncoderHeads(Path.Combine(models, "encoder-heads.onnx"));
        var stage = new ApartmentManager.Intelligence.Classifier.TextModelStage(ngram, heads, TrainingPipeline.Embedder().EmbedManyAsync);
        var classifier = new ApartmentManager.Intelligence.Classifier.RequestClassifier(ngram, Microsoft.Extensions.Options.Options.Create(new IntelligenceOptions()), stage: stage);
        var answer = (await stage.ScoreAsync([text], CancellationToken.None))[0];
        var ng = ngram.ScoreBatch([text])[0];
        Console.WriteLine($"  n-gram urgency {string.Join(" ", ng.UrgencyProbabilities.Select(p => p.ToString("0.00")))}; joined urgency {string.Join(" ", answer.Output.UrgencyProbabilities.Select(p => p.ToString("0.00")))}");
        var c = await classifier.ClassifyAsync(text);
        Console.WriteLine($"{Taxonomy.Name(c.Category)}/{Taxonomy.Name(c.Urgency)} confidence {c.Confidence} stage {c.Stage} model {c.ModelVersion}");
        Console.WriteLine("  " + string.Join("; ", c.Evidence));
    }

    public static void Sweep(string root)
    {
        var (_, _, messages) = new TrainingPipeline(root, Console.Out).LoadMessages();
        var train = messages.Where(m => m.Split == "train").ToList();
        var test = messages.Where(m => m.Split == "test").ToList();
        foreach (var cw in new[] { 0.25f, 1f })
        {
        var f = new TextFeaturizer(TextFeaturizer.DefaultDimension, cw);
        var trainRows = train.Select(m => TrainingPipeline.ToRow(f, m.Text)).ToList();
        var testRows = test.Select(m => TrainingPipeline.ToRow(f, m.Text)).ToList();
        var y = train.Select(m => (int)Taxonomy.ParseCategory(m.Category)).ToList();
        var yt = test.Select(m => (int)Taxonomy.ParseCategory(m.Category)).ToList();
        foreach (var (it, lr, l2) in new[] { (300, 2.0, 1e-4), (300, 5.0, 1e-5), (300, 1.0, 1e-3) })
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var model = SoftmaxRegression.Train(trainRows, y, 13, f.Dimension, new(it, lr, l2));
            double Acc(List<SparseRow> rows, List<int> labels) => rows.Select((r, i) => Array.IndexOf(model.PredictProba(r), model.PredictProba(r).Max()) == labels[i] ? 1.0 : 0).Average();
            Console.Write($"cw={cw} ");
            Console.WriteLine($"it={it} lr={lr} l2={l2}: train acc {Acc(trainRows, y):0.000} test acc {Acc(testRows, yt):0.000} ({sw.Elapsed.TotalSeconds:0.0}s)");
        
        }
        }
    }
}

internal static class Timing
{
    public static void Run(string root)
    {
        var path = Path.Combine(root, "inference-containers", "models", "text-classifier.onnx");
        using var model = new ApartmentManager.Intelligence.Classifier.OnnxTextModel(path);
        var text = "neighbors upstairs stomping at 2am again, cant sleep. Also the dryer takes 3 cycles";
        void Time(string name, Action a)
        {
            for (var i = 0; i < 50; i++) a();
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 500; i++) a();
            Console.WriteLine($"{name}: {sw.Elapsed.TotalMicroseconds / 500:0.0} us");
        }
        Time("guard", () => ApartmentManager.Intelligence.Guardrails.PromptGuard.Neutralise(text));
        Time("rules", () => RulesEngine.Default.Evaluate(text));
        Time("featurize", () => model.Featurizer.Featurize(text));
        Time("model", () => model.Score(text));
        var rng = new Random(1);
        var w = Enumerable.Range(0, 16384 * 13).Select(_ => (float)rng.NextDouble()).ToArray();
        foreach (var top in new[] { 0, 8 })
        {
            var m = ApartmentManager.Onnx.OnnxModelBuilders.LinearSoftmaxClassifier("x", 16384, [new ApartmentManager.Onnx.LinearHead("category", Enumerable.Range(0, 13).Select(i => "c" + i).ToArray(), w, new float[13])], "x", topFeatures: top);
            using var so = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1 };
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(m.ToBytes(), so);
            var x = model.Featurizer.Featurize(text);
            Time($"raw onnx top={top}", () =>
            {
                using var v = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(x, [1, x.Length]);
                using var r = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["features"] = v }, ["category_probabilities"]);
            });
        }
    }
}
