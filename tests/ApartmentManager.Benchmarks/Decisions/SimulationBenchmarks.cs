using ApartmentManager.Decisions;
using ApartmentManager.Decisions.Policy;
using ApartmentManager.Domain;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Benchmarks.Decisions;

/// <summary>
/// Simulate all options of a request at the default 2,000 runs each (aim: p50 ≤ 20 ms), sequential and parallel,
/// and the decision over them. Run: dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- --filter '*SimulationBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class SimulationBenchmarks
{
    private OptionSimulator _parallel = null!;
    private OptionSimulator _sequential = null!;
    private DecisionPolicy _policy = null!;
    private ResidentRequest _request = null!;
    private ResidentRequest _simulated = null!;

    [Params("plumbing_emergency", "hvac_normal")]
    public string Scenario { get; set; } = "plumbing_emergency";

    [GlobalSetup]
    public void Setup()
    {
        _parallel = new OptionSimulator(Monitor(parallel: true));
        _sequential = new OptionSimulator(Monitor(parallel: false));
        _policy = new DecisionPolicy(Monitor(parallel: true));
        var now = new DateTimeOffset(2026, 11, 18, 19, 30, 0, TimeSpan.Zero);
        (Category category, Urgency urgency, double risk, RiskLevel level, string message) = Scenario == "hvac_normal"
            ? (Category.Hvac, Urgency.Normal, 0.3, RiskLevel.Low, "The heater only blows lukewarm air.")
            : (Category.Plumbing, Urgency.Emergency, 0.85, RiskLevel.Critical, "A pipe burst under the sink, water everywhere.");
        _request = ResidentRequest.Create("bench-1", "res-1", "B1", "4A", Channel.Web, message, now, "res-1")
            .WithClassification(new Classification(category, urgency, 0.9, [], [], "rules", "bench"), now)
            .WithRisk(new RiskAssessment(risk, level, [], "bench"), now);
        _simulated = _request.WithOptions(_parallel.SimulateAsync(_request).GetAwaiter().GetResult(), now);
    }

    [Benchmark(Baseline = true)]
    public Task<IReadOnlyList<ResolutionOption>> SimulateAllOptionsSequential() => _sequential.SimulateAsync(_request);

    [Benchmark]
    public Task<IReadOnlyList<ResolutionOption>> SimulateAllOptionsParallel() => _parallel.SimulateAsync(_request);

    [Benchmark]
    public Decision Decide() => _policy.Decide(_simulated);

    private static IOptionsMonitor<DecisionOptions> Monitor(bool parallel)
    {
        var options = new DecisionOptions();
        options.Simulation.Parallel = parallel;
        return new Fixed(options);
    }

    private sealed class Fixed(DecisionOptions value) : IOptionsMonitor<DecisionOptions>
    {
        public DecisionOptions CurrentValue => value;
        public DecisionOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<DecisionOptions, string?> listener) => null;
    }
}
