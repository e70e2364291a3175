using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Intelligence.Text;
using ApartmentManager.ModelTraining.Data;
using ApartmentManager.ModelTraining.Evaluation;
using ApartmentManager.ModelTraining.Training;
using ApartmentManager.Intelligence.Risk.Training;
using ApartmentManager.Onnx;
using ApartmentManager.Scoring;
using ApartmentManager.Intelligence.Rules;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace ApartmentManager.ModelTraining;

/// <summary>Regenerates the data, trains, evaluates and writes the models. Every random choice flows from <see cref="Seed"/>.</summary>
public sealed class TrainingPipeline(string repoRoot, TextWriter log)
{
    public const int Seed = 20261122;
    public const int RiskRows = 20000;
    public const string TextModelName = "text-classifier";
    public const string RiskModelName = "risk-model";
    public const string HeadsModelName = "encoder-heads";
    public const string ModelSemVer = "1.0.0";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private string DataDir => Path.Combine(repoRoot, "inference-containers", "ApartmentManager.ModelTraining", "data");
    private string ModelsDir => Path.Combine(repoRoot, "inference-containers", "models");

    public async Task<int> RunAsync()
    {
        Directory.CreateDirectory(ModelsDir);
        var metrics = new SortedDictionary<string, object>(StringComparer.Ordinal) { ["seed"] = Seed };

        // ---- 1. Labelled messages ----
        var (templates, unseen, messages) = LoadMessages();
        await File.WriteAllLinesAsync(Path.Combine(DataDir, "messages.jsonl"),
            messages.Select(m => JsonSerializer.Serialize(m, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })));
        var train = messages.Where(m => m.Split == "train").ToList();
        var test = messages.Where(m => m.Split == "test").ToList();
        log.WriteLine($"messages: {messages.Count} ({train.Count} train / {test.Count} test) from {templates.Count} templates + {unseen.Count} unseen templates");
        metrics["data"] = new
        {
            messages = messages.Count, train = train.Count, test = test.Count, templates = templates.Count + unseen.Count,
            template_split = messages.GroupBy(m => m.TemplateSplit).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            spanish = messages.Count(m => m.Language == "es"), multi_issue = messages.Count(m => m.SecondaryCategories.Count > 0),
            by_category = Taxonomy.CategoryNames.ToDictionary(c => c, c => messages.Count(m => m.Category == c)),
            by_urgency = Taxonomy.UrgencyNames.ToDictionary(u => u, u => messages.Count(m => m.Urgency == u)),
        };

        // ---- 2. Text model (shipped: trained on split=train) ----
        var featurizer = new TextFeaturizer();
        var (catModel, urgModel) = TrainText(featurizer, train);
        var textPath = Path.Combine(ModelsDir, TextModelName + ".onnx");
        var textVersion = ExportText(featurizer, catModel, urgModel, textPath);
        log.WriteLine($"wrote {textPath} ({new FileInfo(textPath).Length / 1024} KiB), version {textVersion}");

        // Trainer vs ONNX on every held-out row.
        double textMaxDiff;
        using (var runtime = new OnnxTextModel(textPath))
        {
            var onnxTest = runtime.ScoreBatch(test.Select(m => m.Text).ToList());
            textMaxDiff = 0;
            var holdout = new List<string>();
            for (var i = 0; i < test.Count; i++)
            {
                var row = ToRow(featurizer, test[i].Text);
                var pc = catModel.PredictProba(row);
                var pu = urgModel.PredictProba(row);
                textMaxDiff = Math.Max(textMaxDiff, MaxDiff(pc, onnxTest[i].CategoryProbabilities));
                textMaxDiff = Math.Max(textMaxDiff, MaxDiff(pu, onnxTest[i].UrgencyProbabilities));
                holdout.Add(JsonSerializer.Serialize(new { id = test[i].Id, text = test[i].Text, category_probabilities = pc, urgency_probabilities = pu }));
            }
            await File.WriteAllLinesAsync(Path.Combine(ModelsDir, TextModelName + ".holdout.jsonl"), holdout);
        }
        // ---- 2b. Classification heads over the pretrained sentence encoder (English messages only) ----
        var embedder = Embedder();
        var english = messages.Where(m => m.Language == "en").ToList();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var vectors = embedder.EmbedMany(english.Select(m => m.Text).ToList());
        log.WriteLine($"encoded {english.Count} English messages in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        var headRows = new Dictionary<string, SparseRow>(StringComparer.Ordinal);
        for (var i = 0; i < english.Count; i++)
        {
            headRows[english[i].Id] = HeadRow(vectors[i], english[i].Text);
        }
        var (hc, hu) = TrainHeads(headRows, train.Where(m => m.Language == "en").ToList());
        var headsPath = Path.Combine(ModelsDir, HeadsModelName + ".onnx");
        var headsVersion = ExportHeads(hc, hu, headsPath);
        log.WriteLine($"wrote {headsPath} ({new FileInfo(headsPath).Length / 1024} KiB), version {headsVersion}");
        double headsMaxDiff = 0;
        using (var heads = new OnnxEncoderHeads(headsPath))
        {
            var testEnglish = test.Where(m => m.Language == "en").ToList();
            var scored = heads.Score(testEnglish.Select(m => headRows[m.Id].Values).ToList());
            for (var i = 0; i < testEnglish.Count; i++)
            {
                headsMaxDiff = Math.Max(headsMaxDiff, MaxDiff(hc.PredictProba(headRows[testEnglish[i].Id]), scored[i].Category));
                headsMaxDiff = Math.Max(headsMaxDiff, MaxDiff(hu.PredictProba(headRows[testEnglish[i].Id]), scored[i].Urgency));
            }
        }

        var primary = await EvaluateTextAsync(textPath, headsPath, embedder, test, "split (message level, stratified)");
        var primaryNgram = await EvaluateTextAsync(textPath, null, embedder, test, "split, n-gram model only (before the encoder)");

        // Generalisation to unseen phrasings: throw-away models trained on templates.txt (train + validation templates),
        // tested on unseen-templates.txt. Only aggregate figures are printed: no choice is made on this split.
        var templateTrain = messages.Where(m => m.TemplateSplit != "test").ToList();
        var templateTest = messages.Where(m => m.TemplateSplit == "test").ToList();
        var (generalisation, generalisationNgram, generalisationEnglish) = await TrainAndEvaluateAsync(featurizer, embedder, headRows, templateTrain, templateTest, "template_split (unseen templates)", printMisses: false);
        // The validation figure (throw-away models trained on the train templates only): what modelling choices were made on.
        var (validation, validationNgram, _) = await TrainAndEvaluateAsync(featurizer, embedder, headRows,
            messages.Where(m => m.TemplateSplit == "train").ToList(), messages.Where(m => m.TemplateSplit == "validation").ToList(), "validation templates", printMisses: false);

        metrics["text_classifier"] = new
        {
            model_version = textVersion,
            file_bytes = new FileInfo(textPath).Length,
            onnx_vs_trainer_max_abs_diff = textMaxDiff,
            quality_bars = new { category_macro_f1 = 0.90, urgency_accuracy = 0.85, emergency_recall = 0.98 },
            held_out = primary,
            unseen_templates = generalisation,
            unseen_templates_english = generalisationEnglish,
            validation_templates = validation,
            before_encoder = new { held_out = primaryNgram, unseen_templates = generalisationNgram, validation_templates = validationNgram },
        };
        metrics["encoder_heads"] = new
        {
            model_version = headsVersion,
            file_bytes = new FileInfo(headsPath).Length,
            encoder = embedder.ModelVersion,
            featurizer = EncoderHeadFeatures.Recipe,
            english_messages = english.Count,
            onnx_vs_trainer_max_abs_diff = headsMaxDiff,
            aims_unseen_templates = new { category_accuracy = 0.92, urgency_accuracy = 0.85, emergency_recall = 1.0 },
        };
        if (headsMaxDiff > 1e-4)
        {
            log.WriteLine($"ERROR: ONNX and trainer disagree on the encoder heads by {headsMaxDiff}");
            return 2;
        }
        if (textMaxDiff > 1e-4)
        {
            log.WriteLine($"ERROR: ONNX and trainer disagree on the text model by {textMaxDiff}");
            return 2;
        }

        // ---- 3. Risk model ----
        var riskRows = new RiskSimulator(Seed).Generate(RiskRows, 0.25);
        await WriteRiskCsvAsync(Path.Combine(DataDir, "risk.csv"), riskRows);
        var riskTrain = riskRows.Where(r => r.Split == "train").ToList();
        var riskTest = riskRows.Where(r => r.Split == "test").ToList();
        var gbdt = GradientBoostedTrees.Train(riskTrain.Select(r => RiskFeatureVector.ToVector(r.Features)).ToList(), riskTrain.Select(r => r.Escalated).ToList(), new());
        var riskModel = RiskModelExport.ToOnnx(gbdt, ModelSemVer);
        var riskVersion = riskModel.Version;
        var riskPath = Path.Combine(ModelsDir, RiskModelName + ".onnx");
        riskModel.Save(riskPath);
        log.WriteLine($"wrote {riskPath} ({new FileInfo(riskPath).Length / 1024} KiB), version {riskVersion}");

        using var predictor = new OnnxRiskPredictor(riskPath);
        var onnxRisk = new List<RiskAssessment>();
        foreach (var chunk in riskTest.Chunk(64))
        {
            onnxRisk.AddRange(predictor.PredictBatch(chunk.Select(r => r.Features).ToList()));
        }
        var trainerP = riskTest.Select(r => gbdt.PredictProbability(RiskFeatureVector.ToVector(r.Features))).ToList();
        var riskMaxDiff = trainerP.Select((p, i) => Math.Abs(p - onnxRisk[i].Probability)).Max();
        var yTest = riskTest.Select(r => r.Escalated).ToList();
        var auc = Metrics.RocAuc(trainerP, yTest);
        var oracleAuc = Metrics.RocAuc(riskTest.Select(r => r.TrueProbability).ToList(), yTest);
        var reliability = Metrics.Reliability(trainerP, yTest);
        await File.WriteAllLinesAsync(Path.Combine(ModelsDir, RiskModelName + ".holdout.csv"),
            new[] { string.Join(",", RiskFeatureVector.Names) + ",trainer_probability,trainer_margin" }
                .Concat(riskTest.Take(300).Select(r =>
                {
                    var v = RiskFeatureVector.ToVector(r.Features);
                    return string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "," +
                        gbdt.PredictProbability(v).ToString("R", CultureInfo.InvariantCulture) + "," + gbdt.PredictMargin(v).ToString("R", CultureInfo.InvariantCulture);
                })));
        log.WriteLine($"risk: ROC-AUC {auc:0.000} (oracle {oracleAuc:0.000}), Brier {Metrics.Brier(trainerP, yTest):0.0000}, ONNX max diff {riskMaxDiff:E2}");
        metrics["risk_model"] = new
        {
            model_version = riskVersion,
            file_bytes = new FileInfo(riskPath).Length,
            rows = riskRows.Count, train = riskTrain.Count, test = riskTest.Count,
            base_rate_test = Math.Round(yTest.Average(), 4),
            trees = gbdt.Trees.Count,
            roc_auc = Math.Round(auc, 4),
            oracle_roc_auc_true_probability = Math.Round(oracleAuc, 4),
            brier = Math.Round(Metrics.Brier(trainerP, yTest), 5),
            brier_base_rate = Math.Round(Metrics.Brier(yTest.Select(_ => yTest.Average()).ToList(), yTest), 5),
            log_loss = Math.Round(Metrics.LogLoss(trainerP, yTest), 5),
            expected_calibration_error = Math.Round(Metrics.Ece(reliability), 5),
            reliability,
            level_cutoffs = new { medium = RiskLevels.Medium, high = RiskLevels.High, critical = RiskLevels.Critical },
            level_counts_test = onnxRisk.GroupBy(r => r.Level).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString().ToLowerInvariant(), g => g.Count()),
            onnx_vs_trainer_max_abs_diff = riskMaxDiff,
            quality_bars = new { roc_auc = 0.85 },
        };
        await File.WriteAllTextAsync(Path.Combine(ModelsDir, "metrics.json"), JsonSerializer.Serialize(metrics, Json) + "\n");
        if (riskMaxDiff > 1e-4)
        {
            log.WriteLine($"ERROR: ONNX and trainer disagree on the risk model by {riskMaxDiff}");
            return 2;
        }
        return 0;
    }

    /// <summary>The templates (templates.txt), the unseen ones (unseen-templates.txt) and the generated messages.</summary>
    internal (IReadOnlyList<MessageTemplate> Templates, IReadOnlyList<MessageTemplate> Unseen, IReadOnlyList<LabelledMessage> Messages) LoadMessages()
    {
        var templates = MessageGenerator.LoadTemplates(Path.Combine(DataDir, "templates.txt"));
        var trainOnly = MessageGenerator.LoadTemplates(Path.Combine(DataDir, "training-only-templates.txt"));
        var unseen = MessageGenerator.LoadTemplates(Path.Combine(DataDir, "unseen-templates.txt"));
        var known = templates.Select(t => t.Text).ToHashSet(StringComparer.Ordinal);
        if (trainOnly.FirstOrDefault(t => !known.Add(t.Text)) is { } twice)
        {
            throw new InvalidOperationException($"A training-only template is also in templates.txt: {twice.Text}");
        }
        if (unseen.FirstOrDefault(t => known.Contains(t.Text)) is { } dup)
        {
            throw new InvalidOperationException($"An unseen template is also in templates.txt or training-only-templates.txt: {dup.Text}");
        }
        return ([.. templates, .. trainOnly], unseen, new MessageGenerator(Seed).Generate(templates, unseen, trainOnly));
    }

    /// <summary>The shared sentence encoder with a cache large enough for the whole data set (every text is encoded once per run).</summary>
    internal static EncoderTextEmbedder Embedder() =>
        SharedSentenceEncoders.Get(SentenceEncoder.DefaultDirectory, new OnnxSessionSettings(), SentenceEncoder.DefaultMaxTokens, 32, 50_000);

    /// <summary>
    /// The modelling-choice loop ("--validate"): models trained on the train templates, evaluated on the validation
    /// templates with every miss printed. Never touches unseen-templates.txt's messages or the committed models.
    /// </summary>
    public async Task<int> ValidateAsync()
    {
        var (_, _, messages) = LoadMessages();
        var embedder = Embedder();
        var english = messages.Where(m => m.Language == "en" && m.TemplateSplit != "test").ToList();
        var vectors = embedder.EmbedMany(english.Select(m => m.Text).ToList());
        var headRows = new Dictionary<string, SparseRow>(StringComparer.Ordinal);
        for (var i = 0; i < english.Count; i++)
        {
            headRows[english[i].Id] = HeadRow(vectors[i], english[i].Text);
        }
        await TrainAndEvaluateAsync(new TextFeaturizer(), embedder, headRows,
            messages.Where(m => m.TemplateSplit == "train").ToList(), messages.Where(m => m.TemplateSplit == "validation").ToList(), "validation templates", printMisses: true);
        return 0;
    }

    /// <summary>
    /// The steadier modelling-choice loop ("--validate-folds"): 5 folds over the templates of templates.txt (by template
    /// index, so every fold has every category), each scored by throw-away models trained on the other four folds plus
    /// every training-only template. About 1,560 scored messages (~400 templates) instead of the validation split's 304
    /// (~70 templates), so a choice worth a few messages is not decided by noise; the scored single-issue messages stay the
    /// same whatever is added to training-only-templates.txt (multi-issue ones are re-drawn when the train pool grows).
    /// Never touches unseen-templates.txt's messages. 5–7 minutes on the shared 2-core machine.
    /// </summary>
    public async Task<int> ValidateFoldsAsync(int folds = 5)
    {
        var (_, _, messages) = LoadMessages();
        var templateCount = MessageGenerator.LoadTemplates(Path.Combine(DataDir, "templates.txt")).Count;
        var known = messages.Where(m => m.TemplateSplit != "test").ToList();
        var embedder = Embedder();
        var english = known.Where(m => m.Language == "en").ToList();
        var vectors = embedder.EmbedMany(english.Select(m => m.Text).ToList());
        var headRows = new Dictionary<string, SparseRow>(StringComparer.Ordinal);
        for (var i = 0; i < english.Count; i++)
        {
            headRows[english[i].Id] = HeadRow(vectors[i], english[i].Text);
        }
        int n = 0, category = 0, urgency = 0, emergencies = 0, emergencyHits = 0, nEn = 0, categoryEn = 0, multi = 0, categoryMulti = 0;
        for (var k = 0; k < folds; k++)
        {
            bool InFold(LabelledMessage m) => m.Template < templateCount && m.Template % folds == k;
            await TrainAndEvaluateAsync(new TextFeaturizer(), embedder, headRows, known.Where(m => !InFold(m)).ToList(), known.Where(InFold).ToList(),
                $"fold {k + 1}/{folds}", printMisses: false, sink: (test, full) =>
                {
                    for (var i = 0; i < test.Count; i++)
                    {
                        var catOk = Taxonomy.Name(full[i].Category) == test[i].Category;
                        n++;
                        category += catOk ? 1 : 0;
                        urgency += Taxonomy.Name(full[i].Urgency) == test[i].Urgency ? 1 : 0;
                        if (test[i].Urgency == "emergency")
                        {
                            emergencies++;
                            emergencyHits += full[i].Urgency == Urgency.Emergency ? 1 : 0;
                        }
                        if (test[i].Language == "en")
                        {
                            nEn++;
                            categoryEn += catOk ? 1 : 0;
                        }
                        if (test[i].SecondaryCategories.Count > 0)
                        {
                            multi++;
                            categoryMulti += catOk ? 1 : 0;
                        }
                    }
                });
        }
        log.WriteLine($"[{folds}-fold template cross-validation] n={n}: category accuracy {(double)category / n:0.0000} ({category}), urgency accuracy {(double)urgency / n:0.0000}, " +
            $"emergency recall {(double)emergencyHits / emergencies:0.0000} ({emergencyHits}/{emergencies}); English {(double)categoryEn / nEn:0.0000} (n={nEn}); multi-issue {(double)categoryMulti / multi:0.0000} (n={multi})");
        return 0;
    }

    /// <summary>Throw-away n-gram model and heads trained on <paramref name="train"/>, evaluated on <paramref name="test"/>: with the heads, n-gram only, English only.</summary>
    private async Task<(object Full, object NGram, object English)> TrainAndEvaluateAsync(TextFeaturizer featurizer, EncoderTextEmbedder embedder,
        IReadOnlyDictionary<string, SparseRow> headRows, IReadOnlyList<LabelledMessage> train, IReadOnlyList<LabelledMessage> test, string label, bool printMisses,
        Action<IReadOnlyList<LabelledMessage>, IReadOnlyList<Classification>>? sink = null)
    {
        var (tc, tu) = TrainText(featurizer, train);
        var tmp = Path.Combine(Path.GetTempPath(), $"am-split-{Environment.ProcessId}.onnx");
        ExportText(featurizer, tc, tu, tmp);
        var (thc, thu) = TrainHeads(headRows, train.Where(m => m.Language == "en").ToList());
        var tmpHeads = Path.Combine(Path.GetTempPath(), $"am-split-heads-{Environment.ProcessId}.onnx");
        ExportHeads(thc, thu, tmpHeads);
        try
        {
            var full = await EvaluateTextAsync(tmp, tmpHeads, embedder, test, label, printMisses, sink);
            if (sink is not null)
            {
                return (full, full, full);
            }
            var ngram = await EvaluateTextAsync(tmp, null, embedder, test, label + ", n-gram model only (before the encoder)", false);
            var englishOnly = await EvaluateTextAsync(tmp, tmpHeads, embedder, test.Where(m => m.Language == "en").ToList(), label + ", English only", false);
            return (full, ngram, englishOnly);
        }
        finally
        {
            File.Delete(tmp);
            File.Delete(tmpHeads);
        }
    }

    private static (LinearModel Category, LinearModel Urgency) TrainText(TextFeaturizer featurizer, IReadOnlyList<LabelledMessage> train)
    {
        var rows = train.Select(m => ToRow(featurizer, m.Text)).ToList();
        var cat = SoftmaxRegression.Train(rows, train.Select(m => (int)Taxonomy.ParseCategory(m.Category)).ToList(), Taxonomy.Categories.Count, featurizer.Dimension, new());
        var urg = SoftmaxRegression.Train(rows, train.Select(m => (int)Taxonomy.ParseUrgency(m.Urgency)).ToList(), Taxonomy.Urgencies.Count, featurizer.Dimension, new());
        return (cat, urg);
    }

    private static string ExportText(TextFeaturizer featurizer, LinearModel cat, LinearModel urg, string path)
    {
        var version = $"{TextModelName}/{ModelSemVer}+{Hash(cat.Weights, cat.Bias, urg.Weights, urg.Bias)}";
        var model = OnnxModelBuilders.LinearSoftmaxClassifier(TextModelName, featurizer.Dimension,
            [new LinearHead("category", Taxonomy.CategoryNames, cat.Weights, cat.Bias),
             new LinearHead("urgency", Taxonomy.UrgencyNames, urg.Weights, urg.Bias)],
            version,
            "Multinomial logistic regression on hashed word 1-2-grams and char 3-5-grams (TextFeaturizer). Trained by ApartmentManager.ModelTraining.",
            topFeatures: 8, explainHeads: ["category"]);
        model.Metadata["featurizer"] = TextFeaturizer.Recipe;
        model.Save(path);
        return version;
    }

    /// <summary>Model alone, then the full in-process classifier (rules + model, LLM off), on one test set.</summary>
    private async Task<object> EvaluateTextAsync(string modelPath, string? headsPath, EncoderTextEmbedder embedder, IReadOnlyList<LabelledMessage> test, string split, bool printMisses = true,
        Action<IReadOnlyList<LabelledMessage>, IReadOnlyList<Classification>>? sink = null)
    {
        using var runtime = new OnnxTextModel(modelPath);
        using var heads = headsPath is null ? null : new OnnxEncoderHeads(headsPath);
        var stage = new TextModelStage(runtime, heads, heads is null ? null : embedder.EmbedManyAsync);
        var options = new IntelligenceOptions();
        if (Environment.GetEnvironmentVariable("AM_EMERGENCY_THRESHOLD") is { Length: > 0 } threshold)
        {
            options.EmergencyProbabilityThreshold = double.Parse(threshold, CultureInfo.InvariantCulture);
        }
        var onnx = (await stage.ScoreAsync(test.Select(m => m.Text).ToList(), CancellationToken.None)).Select(a => a.Output).ToList();
        var truthCat = test.Select(m => (int)Taxonomy.ParseCategory(m.Category)).ToList();
        var truthUrg = test.Select(m => (int)Taxonomy.ParseUrgency(m.Urgency)).ToList();
        var modelCat = Metrics.Classification(truthCat, onnx.Select(o => ArgMax(o.CategoryProbabilities)).ToList(), Taxonomy.CategoryNames);
        var modelUrg = Metrics.Classification(truthUrg,
            onnx.Select(o => o.UrgencyProbabilities[3] >= options.EmergencyProbabilityThreshold ? 3 : ArgMax(o.UrgencyProbabilities)).ToList(), Taxonomy.UrgencyNames);
        var classifier = new RequestClassifier(runtime, Options.Create(options), stage: stage);
        var full = new List<Classification>();
        foreach (var chunk in test.Chunk(64))
        {
            full.AddRange(await classifier.ClassifyBatchAsync(chunk.Select(m => m.Text).ToList()));
        }
        sink?.Invoke(test, full);
        var cat = Metrics.Classification(truthCat, full.Select(c => (int)c.Category).ToList(), Taxonomy.CategoryNames);
        var urg = Metrics.Classification(truthUrg, full.Select(c => (int)c.Urgency).ToList(), Taxonomy.UrgencyNames);
        var correct = full.Select((c, i) => (int)c.Category == truthCat[i] && (int)c.Urgency == truthUrg[i] ? 1 : 0).ToList();
        var reliability = Metrics.Reliability(full.Select(c => c.Confidence).ToList(), correct);
        var misses = test.Select((m, i) => (m, c: full[i], i)).Where(x => (int)x.c.Category != truthCat[x.i] || (int)x.c.Urgency != truthUrg[x.i])
            .Select(x => $"{x.m.Category}/{x.m.Urgency} -> {Taxonomy.Name(x.c.Category)}/{Taxonomy.Name(x.c.Urgency)} [{x.c.Stage}] {x.m.Text}").ToList();
        log.WriteLine($"[{split}] n={test.Count} classifier (rules+model): category accuracy {cat.Accuracy:0.000}, macro-F1 {cat.MacroF1:0.000}, urgency accuracy {urg.Accuracy:0.000}, emergency recall {urg.PerClass[3].Recall:0.000} (precision {urg.PerClass[3].Precision:0.000})");
        log.WriteLine($"[{split}] model only: category accuracy {modelCat.Accuracy:0.000}, macro-F1 {modelCat.MacroF1:0.000}, urgency accuracy {modelUrg.Accuracy:0.000}, emergency recall {modelUrg.PerClass[3].Recall:0.000}");
        log.WriteLine($"[{split}] urgency confusion (rows truth low/normal/high/emergency): {string.Join(" | ", urg.Confusion.Select(r => string.Join(" ", r)))}");
        if (printMisses)
        {
            foreach (var miss in misses)
            {
                log.WriteLine("  miss: " + miss);
            }
        }
        return new
        {
            split,
            messages = test.Count,
            classifier_rules_plus_model = new
            {
                category_macro_f1 = cat.MacroF1, category_accuracy = cat.Accuracy, urgency_accuracy = urg.Accuracy,
                emergency_recall = urg.PerClass[3].Recall, emergency_precision = urg.PerClass[3].Precision,
                stage_counts = full.GroupBy(c => c.Stage).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                confidence_reliability = reliability,
                confidence_ece = Math.Round(Metrics.Ece(reliability), 4),
                per_category = cat.PerClass,
                per_urgency = urg.PerClass,
                urgency_confusion_rows_truth_low_normal_high_emergency = urg.Confusion,
                missed_emergencies = test.Where((m, i) => truthUrg[i] == 3 && full[i].Urgency != Urgency.Emergency).Count(),
                errors = misses.Count,
            },
            model_only = new { category_accuracy = modelCat.Accuracy, category_macro_f1 = modelCat.MacroF1, urgency_accuracy = modelUrg.Accuracy, emergency_recall = modelUrg.PerClass[3].Recall },
        };
    }

    /// <summary>A dense <see cref="EncoderHeadFeatures"/> row as the trainer's sparse row (every column present).</summary>
    internal static SparseRow HeadRow(float[] embedding, string text)
    {
        var values = EncoderHeadFeatures.Row(embedding, text, RulesEngine.Default);
        return new SparseRow(Enumerable.Range(0, values.Length).ToArray(), values);
    }

    private static (LinearModel Category, LinearModel Urgency) TrainHeads(IReadOnlyDictionary<string, SparseRow> rows, IReadOnlyList<LabelledMessage> train)
    {
        var x = train.Select(m => rows[m.Id]).ToList();
        // L2 1e-4 for both heads. Issue 13's fifth round tried 1e-3 for the category head: better on the validation templates
        // (0.875 → 0.891) but worse on the 5-fold template cross-validation (0.883 → 0.872), on the held-out split and on
        // the unseen templates, so it was dropped.
        var categoryOptions = new SoftmaxRegression.Options(Iterations: 400, LearningRate: 2.0, L2: 1e-4);
        var urgencyOptions = categoryOptions;
        var cat = SoftmaxRegression.Train(x, train.Select(m => (int)Taxonomy.ParseCategory(m.Category)).ToList(), Taxonomy.Categories.Count, EncoderHeadFeatures.Dimension, categoryOptions);
        var urg = SoftmaxRegression.Train(x, train.Select(m => (int)Taxonomy.ParseUrgency(m.Urgency)).ToList(), Taxonomy.Urgencies.Count, EncoderHeadFeatures.Dimension, urgencyOptions);
        return (cat, urg);
    }

    private static string ExportHeads(LinearModel cat, LinearModel urg, string path)
    {
        var version = $"{HeadsModelName}/{ModelSemVer}+{Hash(cat.Weights, cat.Bias, urg.Weights, urg.Bias)}";
        var model = OnnxModelBuilders.LinearSoftmaxClassifier(HeadsModelName, EncoderHeadFeatures.Dimension,
            [new LinearHead("category", Taxonomy.CategoryNames, cat.Weights, cat.Bias),
             new LinearHead("urgency", Taxonomy.UrgencyNames, urg.Weights, urg.Bias)],
            version,
            "Two softmax heads over the all-MiniLM-L6-v2 sentence embedding plus the rules' lexical features (EncoderHeadFeatures). Trained by ApartmentManager.ModelTraining.");
        model.Metadata["featurizer"] = EncoderHeadFeatures.Recipe;
        model.Save(path);
        return version;
    }

    internal static SparseRow ToRow(TextFeaturizer f, string text)
    {
        var (i, v) = f.FeaturizeSparse(text);
        return new SparseRow(i, v);
    }

    private static async Task WriteRiskCsvAsync(string path, IReadOnlyList<RiskRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("split,category,urgency,hazard_cues,hour,weekday,season,building_age_years,incidents_90d,repeat_complaints,vulnerable,days_since_maintenance,true_probability,escalated");
        foreach (var r in rows)
        {
            var f = r.Features;
            sb.Append(CultureInfo.InvariantCulture, $"{r.Split},{Taxonomy.Name(f.Category)},{Taxonomy.Name(f.Urgency)},{f.HazardCues},{f.Hour},{f.Weekday.ToString().ToLowerInvariant()},{f.Season.ToString().ToLowerInvariant()},");
            sb.Append(CultureInfo.InvariantCulture, $"{f.BuildingAgeYears},{f.IncidentsLast90Days},{f.RepeatComplaints},{f.Vulnerable?.ToString().ToLowerInvariant()},{f.DaysSinceLastMaintenance},{r.TrueProbability:0.####},{r.Escalated}\n");
        }
        await File.WriteAllTextAsync(path, sb.ToString());
    }

    private static double MaxDiff(double[] a, float[] b) => a.Select((x, i) => Math.Abs(x - b[i])).Max();

    private static int ArgMax(float[] v) => Array.IndexOf(v, v.Max());

    private static string Hash(params float[][] arrays)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var a in arrays)
        {
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..8];
    }
}

internal static class Extensions
{
    public static TOut Let<TIn, TOut>(this TIn value, Func<TIn, TOut> f) => f(value);
}
