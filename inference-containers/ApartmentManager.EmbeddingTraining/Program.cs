using System.Globalization;
using ApartmentManager.EmbeddingTraining;
using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Embeddings;
using ApartmentManager.Knowledge.Evaluation;
using ApartmentManager.Knowledge.Retrieval;
using ApartmentManager.Onnx;
using Microsoft.Extensions.Options;

// Usage: dotnet run --project inference-containers/ApartmentManager.EmbeddingTraining -- [--out DIR] [--dim N] [--seed N] [--messages FILE]...
// Writes DIR/embeddings.onnx and DIR/embeddings.vocab.tsv (default DIR: inference-containers/models), checks that
// ONNX Runtime agrees with the trainer, and prints the retrieval evaluation (recall@5, MRR) for BM25, dense, hybrid.
var outDir = (string?)null;
var options = new EmbeddingTrainingOptions();
var messageFiles = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out": outDir = args[++i]; break;
        case "--dim": options = options with { Dimensions = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
        case "--seed": options = options with { Seed = ulong.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
        case "--messages": messageFiles.Add(args[++i]); break;
        case "--window": options = options with { Window = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
        case "--section-weight": options = options with { SectionBlockWeight = double.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
        case "--sv-power": options = options with { SingularValuePower = double.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'.");
            return 2;
    }
}

outDir ??= Path.Combine(FindRepoRoot(), "inference-containers", "models");
Directory.CreateDirectory(outDir);

var kb = KnowledgeBase.LoadEmbedded();
var messages = MessageCorpus.Load(messageFiles);
var watch = System.Diagnostics.Stopwatch.StartNew();
var trained = PpmiSvdTrainer.Train(kb, messages, options);
Console.WriteLine($"Trained {trained.Version}: {kb.Documents.Count} documents, {kb.Chunks.Count} sections, {messages.Count} messages, vocabulary {trained.Terms.Count}, {watch.ElapsedMilliseconds} ms");

var modelPath = Path.Combine(outDir, "embeddings.onnx");
var vocabPath = Path.Combine(outDir, "embeddings.vocab.tsv");
var model = OnnxModelBuilders.EmbeddingLookup("kb_embedding", trained.Table, trained.Terms.Count, trained.Dimensions, trained.Version,
    "Knowledge-base word vectors (PPMI + randomized SVD); weighted mean of token rows, L2-normalised. Tokenise with embeddings.vocab.tsv.");
model.Metadata["tokenizer"] = "ApartmentManager.Knowledge.Text.TextTokenizer";
model.Save(modelPath);
trained.Vocabulary.Save(vocabPath);
Console.WriteLine($"Wrote {modelPath} ({new FileInfo(modelPath).Length / 1024} KiB) and {vocabPath}");

using var embedder = OnnxTextEmbedder.Load(modelPath, vocabPath);
var maxError = kb.Chunks.Take(50).Select(c => c.IndexText)
    .Max(t => embedder.Embed(t).Zip(trained.EmbedReference(t)).Max(p => Math.Abs(p.First - p.Second)));
Console.WriteLine($"ONNX Runtime vs trainer, max abs difference over 50 sections: {maxError:E2}");
if (maxError > 1e-4)
{
    Console.Error.WriteLine("The exported model disagrees with the trainer.");
    return 1;
}

var retriever = new HybridPolicyRetriever(kb, embedder, Options.Create(new RetrieverOptions()));
var questions = RetrievalEvaluator.LoadEmbeddedQuestions();
Console.WriteLine($"Evaluation: {questions.Count} questions, k = 5");
foreach (var (set, subset) in new[] { ("all", questions), ("dev", Filter("dev")), ("holdout", Filter("holdout")) })
{
    foreach (var mode in Enum.GetValues<RetrievalMode>())
    {
        var m = RetrievalEvaluator.Evaluate(retriever, subset, mode);
        Console.WriteLine($"  {set,-8} {mode,-7} n={m.Questions,-3} recall@5 {m.RecallAtK:F3}  MRR {m.Mrr:F3}  hit@5 {m.HitRateAtK:F3}");
        if (set != "all" && Environment.GetEnvironmentVariable("EVAL_VERBOSE") == "1")
        {
            foreach (var miss in m.Misses)
            {
                Console.WriteLine($"      miss: {miss}");
            }
        }
    }
}

return 0;

IReadOnlyList<EvaluationQuestion> Filter(string set) => questions.Where(q => q.Set == set).ToList();

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
