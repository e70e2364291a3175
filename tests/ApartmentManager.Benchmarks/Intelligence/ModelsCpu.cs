using System.Globalization;
using ApartmentManager.Observability.Usage;

namespace ApartmentManager.Benchmarks.Intelligence;

/// <summary>
/// Thread CPU time and bytes allocated per call of the classification and risk hot paths (the suites of
/// <see cref="IntelligenceBenchmarks"/>), measured without the wall clock a shared machine distorts.
///   dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- models-cpu [iterations]
/// </summary>
public static class ModelsCpu
{
    public static int Run(string[] args)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var bench = new IntelligenceBenchmarks();
        bench.Setup();
        var cases = new (string Name, Action Call)[]
        {
            ("featurize", bench.Featurize),
            ("text-model", () => bench.TextModelOne()),
            ("classify-one", () => bench.ClassifyOne().GetAwaiter().GetResult()),
            ("risk-one", () => bench.RiskOne()),
        };
        foreach (var (name, call) in cases)
        {
            for (var i = 0; i < Math.Max(200, iterations / 2); i++)
            {
                call();
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var before = ThreadCpuTime.Now();
            for (var i = 0; i < iterations; i++)
            {
                call();
            }
            var cpu = (ThreadCpuTime.Now() - before).TotalMilliseconds * 1000 / iterations;
            var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)iterations;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT models-cpu {name,-14} {cpu,8:0.0}us {bytes,9:0}B per call"));
        }
        bench.Cleanup();
        return 0;
    }
}
