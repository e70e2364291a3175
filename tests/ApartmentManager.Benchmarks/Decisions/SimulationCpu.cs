using System.Globalization;
using ApartmentManager.Observability.Usage;

namespace ApartmentManager.Benchmarks.Decisions;

/// <summary>
/// Thread CPU time of simulating every option of a request (2,000 runs each, sequential), per scenario: the figure the
/// pipeline's simulate step is made of, measured without the wall clock a shared machine distorts.
///   dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- simulation-cpu [iterations]
/// </summary>
public static class SimulationCpu
{
    public static int Run(string[] args)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        foreach (var scenario in new[] { "plumbing_emergency", "hvac_normal" })
        {
            var bench = new SimulationBenchmarks { Scenario = scenario };
            bench.Setup();
            for (var i = 0; i < iterations / 4; i++)
            {
                bench.SimulateAllOptionsSequential().GetAwaiter().GetResult(); // JIT tiers, trajectories
            }
            var samples = new List<double>(iterations);
            for (var i = 0; i < iterations; i++)
            {
                var before = ThreadCpuTime.Now();
                bench.SimulateAllOptionsSequential().GetAwaiter().GetResult();
                samples.Add((ThreadCpuTime.Now() - before).TotalMilliseconds);
            }
            samples.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT simulation-cpu scenario={scenario} iterations={iterations} mean={samples.Average():0.000}ms p50={samples[iterations / 2]:0.000}ms p10={samples[iterations / 10]:0.000}ms"));
        }
        return 0;
    }
}
