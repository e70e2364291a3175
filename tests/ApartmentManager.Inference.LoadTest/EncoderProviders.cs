using System.Diagnostics;
using System.Globalization;
using ApartmentManager.Scoring;

/// <summary>
/// The sentence encoder's raw speed per execution provider, in one process: for each provider and batch size (1, 32,
/// 128; texts of similar length, as the server's length buckets make them), items per second and p50 / p99 latency
/// of one session call (tokenise + run + mean-pool + normalise). CUDA needs the tool built with -p:UseGpu=true on a
/// machine with an NVIDIA GPU (inference-containers/gpu-benchmark.sh); a provider that cannot start is reported, not fatal.
/// </summary>
internal static class EncoderProviders
{
    public static int Run(string directory, double secondsPerCase, IReadOnlyList<string> providers)
    {
        Console.WriteLine($"encoder={directory} cores={Environment.ProcessorCount} seconds-per-case={secondsPerCase}");
        Console.WriteLine("provider,intra_op_threads,batch,items_per_s,p50_ms,p99_ms,calls");
        var failures = 0;
        foreach (var provider in providers)
        {
            var kind = provider.Trim().Equals("cuda", StringComparison.OrdinalIgnoreCase) ? ExecutionProviderKind.Cuda : ExecutionProviderKind.Cpu;
            var threads = kind == ExecutionProviderKind.Cpu ? Environment.ProcessorCount : 1;
            SentenceEncoder encoder;
            try
            {
                encoder = new SentenceEncoder(directory, new OnnxSessionSettings { ExecutionProvider = kind, IntraOpThreads = threads });
            }
            catch (Exception ex) when (ex is InvalidOperationException or DllNotFoundException or EntryPointNotFoundException)
            {
                Console.WriteLine($"{provider},unavailable: {ex.Message.ReplaceLineEndings(" ")}");
                failures++;
                continue;
            }
            using (encoder)
            {
                foreach (var batch in new[] { 1, 32, 128 })
                {
                    var rows = Enumerable.Range(0, batch)
                        .Select(i => encoder.Tokenize($"request {i}: water is leaking from the ceiling near the kitchen light and the heater is noisy"))
                        .ToArray();
                    for (var w = 0; w < 5; w++)
                    {
                        encoder.RunPadded(rows);
                    }
                    var times = new List<double>();
                    var until = Stopwatch.GetTimestamp() + (long)(secondsPerCase * Stopwatch.Frequency);
                    var started = Stopwatch.GetTimestamp();
                    while (Stopwatch.GetTimestamp() < until)
                    {
                        var t = Stopwatch.GetTimestamp();
                        encoder.RunPadded(rows);
                        times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    }
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    times.Sort();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{encoder.ExecutionProvider},{threads},{batch},{times.Count * batch / elapsed:0},{times[times.Count / 2]:0.000},{times[Math.Min(times.Count - 1, (int)(times.Count * 0.99))]:0.000},{times.Count}"));
                }
            }
        }
        return failures;
    }
}
