using System.Diagnostics;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Scoring;
using Microsoft.Extensions.Options;

/// <summary>
/// What the encoder adds to the pipeline's classify step, in process CPU time per request (less sensitive to other
/// tenants of a shared machine than wall-clock time): the classifier as the hosts build it (guardrails, rules, n-gram
/// model, encoder pass with the cache off, heads) against the n-gram model alone, one request at a time over distinct
/// messages of mixed length, the two interleaved in rounds so drift hits both alike.
/// Usage: … -- added-cpu [requests-per-round=200] [rounds=5]
/// </summary>
internal static class AddedCpu
{
    private static readonly string[] Openings =
    [
        "The kitchen faucet has been dripping for three days, can someone fix it",
        "I smell gas in the hallway near unit 4B!!",
        "I was charged a late fee but I paid rent on the 1st, please remove it",
        "neighbors upstairs stomping at 2am again, cant sleep. Also the dryer takes 3 cycles",
        "My package was marked delivered by UPS but it's not in the mailroom",
        "no hot water since yesterday morning, kids need baths",
        "What are the pool hours this summer?",
        "The bathroom exhaust fan rattles loudly every time it runs and the light flickers when it does, it has been like this for two weeks now",
    ];

    public static async Task<int> RunAsync(int perRound, int rounds)
    {
        var options = Options.Create(new IntelligenceOptions());
        using var ngramModel = new OnnxTextModel(options);
        using var heads = new OnnxEncoderHeads(Path.Combine(AppContext.BaseDirectory, "models", OnnxEncoderHeads.FileName));
        var ngram = new RequestClassifier(ngramModel, options);
        var embedder = new EncoderTextEmbedder(SharedSentenceEncoders.Default.Encoder, new EmbeddingCache(0));
        var encoder = new RequestClassifier(ngramModel, options, stage: new TextModelStage(ngramModel, heads, embedder.EmbedManyAsync));
        var counter = 0;
        string Next() => $"{Openings[counter % Openings.Length]} (ref {counter++})";
        for (var i = 0; i < 50; i++)
        {
            await ngram.ClassifyAsync(Next());
            await encoder.ClassifyAsync(Next());
        }
        var process = Process.GetCurrentProcess();
        double ngramCpu = 0, encoderCpu = 0, ngramWall = 0, encoderWall = 0;
        for (var r = 0; r < rounds; r++)
        {
            foreach (var (classifier, isEncoder) in new[] { (ngram, false), (encoder, true) })
            {
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var wall = Stopwatch.GetTimestamp();
                for (var i = 0; i < perRound; i++)
                {
                    await classifier.ClassifyAsync(Next());
                }
                process.Refresh();
                var cpuUs = (process.TotalProcessorTime - cpu).TotalMicroseconds / perRound;
                var wallUs = Stopwatch.GetElapsedTime(wall).TotalMicroseconds / perRound;
                if (isEncoder) { encoderCpu += cpuUs; encoderWall += wallUs; } else { ngramCpu += cpuUs; ngramWall += wallUs; }
            }
        }
        ngramCpu /= rounds; encoderCpu /= rounds; ngramWall /= rounds; encoderWall /= rounds;
        Console.WriteLine($"classify one request, CPU time per request: n-gram model only {ngramCpu:0} µs, with the encoder pass + heads {encoderCpu:0} µs, " +
            $"added {encoderCpu - ngramCpu:0} µs CPU (wall {ngramWall:0} µs vs {encoderWall:0} µs); {rounds} rounds × {perRound} requests, encoder intra-op threads = default");
        return 0;
    }
}
