using System.Diagnostics;
using ApartmentManager.Scoring;

namespace ApartmentManager.Knowledge.Tests;

/// <summary>The pretrained sentence encoder on its real ONNX Runtime session (one per test run, <see cref="SharedEncoder"/>).</summary>
public sealed class SentenceEncoderTests
{
    private static SentenceEncoder Encoder => SharedEncoder.Encoder;

    private static double Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    [Fact]
    public void The_build_extracted_the_encoder_from_its_package_into_the_output()
    {
        var model = new FileInfo(Path.Combine(SentenceEncoder.DefaultDirectory, SentenceEncoder.ModelFileName));
        var vocabulary = Path.Combine(SentenceEncoder.DefaultDirectory, SentenceEncoder.VocabularyFileName);
        Assert.True(model.Length > 80_000_000, $"model.onnx is {model.Length} bytes");
        var lines = File.ReadAllLines(vocabulary);
        Assert.Equal(30522, lines.Length);
        Assert.Equal("[PAD]", lines[0]);
        Assert.Equal(SentenceEncoder.Dimensions, Encoder.Encode("hello").Length);
    }

    [Fact]
    public void Empty_text_is_just_the_special_tokens_and_still_a_unit_vector()
    {
        var tokens = Encoder.Tokenize("");
        Assert.Equal(2, tokens.Length); // [CLS] [SEP]
        Assert.Equal(1.0, Norm(Encoder.Encode("")), 4);
    }

    [Fact]
    public void A_4000_character_message_is_cut_at_the_token_limit_and_still_encodes()
    {
        var text = string.Concat(Enumerable.Repeat("The radiator in the bedroom is cold again. ", 100))[..4000];
        var tokens = Encoder.Tokenize(text);
        Assert.Equal(Encoder.MaxTokens, tokens.Length);
        Assert.Equal(101, tokens.Ids[0]);   // [CLS]
        Assert.Equal(102, tokens.Ids[^1]);  // [SEP] kept after truncation
        var vector = Encoder.Encode(text);
        Assert.Equal(1.0, Norm(vector), 4);
        Assert.True(Cosine(vector, Encoder.Encode("the bedroom radiator is cold")) > Cosine(vector, Encoder.Encode("my car was towed from the lot")) + 0.2);
    }

    [Fact]
    public void Emoji_and_accents_tokenise_without_throwing_and_accents_are_stripped()
    {
        var emoji = Encoder.Tokenize("my sink is leaking 😡💧💧 help!!");
        var plain = Encoder.Tokenize("my sink is leaking help!!");
        Assert.True(emoji.Length >= plain.Length, $"{emoji.Length} < {plain.Length}"); // the words survive; emoji are never an exception
        Assert.Equal(1.0, Norm(Encoder.Encode("🔥🔥🔥")), 4);
        // Uncased model: lower-cased, so these are the same word pieces.
        Assert.Equal(Encoder.Tokenize("CAFÉ Kitchen").Ids, Encoder.Tokenize("café kitchen").Ids);
    }

    [Fact]
    public void Spanish_text_encodes_to_a_unit_vector()
    {
        // English-only model: it returns a vector (classification routes Spanish to the n-gram model and the rules).
        var tokens = Encoder.Tokenize("Hay una fuga de agua debajo del fregadero de la cocina, ¡urgente!");
        Assert.True(tokens.Length > 10);
        Assert.Equal(1.0, Norm(Encoder.Encode("Hay una fuga de agua debajo del fregadero")), 4);
    }

    [Fact]
    public void Related_messages_are_closer_than_unrelated_ones()
    {
        var leak = Encoder.Encode("water leaking through the ceiling");
        var flood = Encoder.Encode("burst pipe flooding the bathroom floor");
        var parking = Encoder.Encode("car towed from the guest parking lot");
        Assert.True(Cosine(leak, flood) > Cosine(leak, parking) + 0.1, $"{Cosine(leak, flood):F3} vs {Cosine(leak, parking):F3}");
    }

    [Fact]
    public void Length_bucketed_batches_answer_in_input_order_and_match_single_encoding()
    {
        string[] texts =
        [
            "a much longer text about the noise from the neighbours upstairs at night, every night this week, until 3 am",
            "late rent fee",
            "",
            "mold in the shower",
            "the heat is off and it is freezing in the apartment, my kids are cold",
            "🔥",
        ];
        // maxBatchSize 2 forces several buckets; sorting by length must not reorder the answers.
        var batch = Encoder.Encode(texts, maxBatchSize: 2);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = Encoder.Encode(texts[i]);
            Assert.All(single.Zip(batch[i]), p => Assert.Equal(p.First, p.Second, 4));
        }
    }

    [Fact]
    public async Task Concurrent_callers_each_get_their_own_vectors()
    {
        var texts = Enumerable.Range(0, 24).Select(i => $"message {i}: the {(i % 3 == 0 ? "dishwasher" : i % 3 == 1 ? "front door lock" : "hallway light")} is broken in unit {i}").ToArray();
        var expected = texts.Select(Encoder.Encode).ToArray();
        var embedder = new EncoderTextEmbedder(Encoder, new EmbeddingCache(0), maxBatchSize: 4);
        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            var mine = Enumerable.Range(0, texts.Length).Where(i => i % 8 == worker || (i + worker) % 5 == 0).ToArray();
            var vectors = await embedder.EmbedManyAsync(mine.Select(i => texts[i]).ToArray());
            return (mine, vectors);
        })).ToArray();
        foreach (var (mine, vectors) in await Task.WhenAll(tasks))
        {
            for (var k = 0; k < mine.Length; k++)
            {
                Assert.All(expected[mine[k]].Zip(vectors[k]), p => Assert.Equal(p.First, p.Second, 4));
            }
        }
    }

    [Fact]
    public async Task The_cache_answers_a_repeated_normalised_text_without_a_second_encoder_pass()
    {
        var embedder = new EncoderTextEmbedder(Encoder, new EmbeddingCache(16));
        var first = await embedder.EmbedAsync("The  heat is OFF ");
        var second = await embedder.EmbedAsync("the heat is off");
        Assert.Same(first, second);
        Assert.Equal(1, embedder.Cache.Hits);
        Assert.Equal(1, embedder.Cache.Misses);
        var many = await embedder.EmbedManyAsync(["the heat is off", "another text"]);
        Assert.Same(first, many[0]);
        Assert.Equal(2, embedder.Cache.Count);
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        var cache = new EmbeddingCache(3);
        for (var i = 0; i < 10; i++)
        {
            cache.Add(EmbeddingCache.KeyOf($"text {i}"), [i]);
        }
        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet(EmbeddingCache.KeyOf("text 9"), out _));
        Assert.False(cache.TryGet(EmbeddingCache.KeyOf("text 0"), out _));
    }

    [Fact]
    public async Task A_cancelled_call_throws_before_any_work()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await SharedEncoder.Embedder.EmbedAsync("x", cts.Token));
    }
}

/// <summary>
/// The encoder is never committed: a fresh copy of the repository gets it from the restored package when it builds.
/// This copies only what the Scoring project needs into an empty folder (a clean clone of that slice, no
/// models/encoder) and runs its restore and extraction target with the real MSBuild.
/// </summary>
public sealed class EncoderExtractionTests
{
    [Fact]
    public void A_clean_checkout_extracts_model_and_vocabulary_at_build_time()
    {
        var repo = FindRepositoryRoot();
        var clone = Directory.CreateTempSubdirectory("encoder-clone-").FullName;
        try
        {
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "NuGet.config", "global.json" })
            {
                File.Copy(Path.Combine(repo, file), Path.Combine(clone, file));
            }
            var project = Path.Combine(clone, "functions", "ApartmentManager.Scoring");
            Directory.CreateDirectory(project);
            foreach (var file in Directory.GetFiles(Path.Combine(repo, "functions", "ApartmentManager.Scoring")))
            {
                File.Copy(file, Path.Combine(project, Path.GetFileName(file)));
            }
            var target = Path.Combine(clone, "inference-containers", "models", "encoder");
            Assert.False(Directory.Exists(target));

            var (code, log) = Run("dotnet", $"msbuild \"{Path.Combine(project, "ApartmentManager.Scoring.csproj")}\" -restore -t:ExtractEncoderAssets -nologo -v:m -nodeReuse:false", clone);
            Assert.True(code == 0, log);

            var shipped = Path.Combine(SentenceEncoder.DefaultDirectory, SentenceEncoder.ModelFileName);
            Assert.Equal(new FileInfo(shipped).Length, new FileInfo(Path.Combine(target, "model.onnx")).Length);
            Assert.Equal(File.ReadAllBytes(Path.Combine(SentenceEncoder.DefaultDirectory, "vocab.txt")), File.ReadAllBytes(Path.Combine(target, "vocab.txt")));
        }
        finally
        {
            Directory.Delete(clone, recursive: true);
        }
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }

    private static (int Code, string Log) Run(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
