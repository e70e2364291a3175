using System.Diagnostics;
using ApartmentManager.Scoring;

/// <summary>
/// The raw encoder's CPU per row by text length: batch 1 against batches of 32 rows of the same length (no padding),
/// one caller, intra-op threads 1; then all cores per call with spinning on and off. Process CPU time per row is the
/// figure that bounds a server's throughput; rows/s is wall clock (noisy on a shared machine).
/// </summary>
internal static class EncoderCpu
{
    public static int Run(string directory, double seconds)
    {
        Console.WriteLine($"cores={Environment.ProcessorCount} seconds-per-case={seconds}");
        var cores = Environment.ProcessorCount;
        foreach (var (threads, spin) in new[] { (1, false), (cores, true), (cores, false) })
        {
            using var encoder = new SentenceEncoder(directory, new OnnxSessionSettings { IntraOpThreads = threads, AllowSpinning = spin });
            foreach (var words in new[] { 8, 24, 56 })
            {
                var rows = Enumerable.Range(0, 32).Select(i => encoder.Tokenize($"request {i}: " + string.Join(' ', Enumerable.Range(0, words).Select(w => Words[(w + i) % Words.Length])))).ToArray();
                var batches = threads == 1 ? new[] { 1, 8, 32 } : new[] { 1, 32 };
                foreach (var batch in batches)
                {
                    var take = rows.Take(batch).ToArray();
                    encoder.RunPadded(take);
                    var done = 0;
                    var process = Process.GetCurrentProcess();
                    var cpu = process.TotalProcessorTime;
                    var started = Stopwatch.GetTimestamp();
                    var until = started + (long)(seconds * Stopwatch.Frequency);
                    while (Stopwatch.GetTimestamp() < until)
                    {
                        encoder.RunPadded(take);
                        done += batch;
                    }
                    var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    process.Refresh();
                    var used = (process.TotalProcessorTime - cpu).TotalMilliseconds;
                    Console.WriteLine($"intra={threads} spin={(spin ? 1 : 0)} tokens={take[0].Length} batch={batch}: {done / wall:0} rows/s, CPU {used / done:0.000} ms per row");
                }
            }
        }
        return 0;
    }

    private static readonly string[] Words = "water is leaking from the ceiling near kitchen light and heater noisy it started last night keeps getting worse".Split(' ');
}
