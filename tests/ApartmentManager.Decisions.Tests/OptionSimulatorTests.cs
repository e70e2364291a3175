using ApartmentManager.Decisions.Describing;
using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Tests;

public class OptionSimulatorTests
{
    [Fact]
    public async Task Same_seed_gives_the_same_numbers_and_another_seed_does_not()
    {
        var request = TestRequests.Make(Category.Plumbing, Urgency.High, 0.6, RiskLevel.Medium, "Water dripping through the ceiling.");
        var simulator = new OptionSimulator(TestRequests.Options());

        var a = await simulator.SimulateAsync(request, new SimulationSettings(Seed: 123));
        var b = await simulator.SimulateAsync(request, new SimulationSettings(Seed: 123));
        var c = await simulator.SimulateAsync(request, new SimulationSettings(Seed: 124));

        Assert.Equal(a.Select(o => o.Simulation with { PolicyNotes = [], Violations = null }), b.Select(o => o.Simulation with { PolicyNotes = [], Violations = null }));
        Assert.Equal(a.Select(o => string.Join("|", o.Simulation.Violations!)), b.Select(o => string.Join("|", o.Simulation.Violations!)));
        Assert.Equal(a.Select(o => string.Join("|", o.Simulation.PolicyNotes)), b.Select(o => string.Join("|", o.Simulation.PolicyNotes)));
        Assert.NotEqual(a.Select(o => o.Simulation.ExpectedCost), c.Select(o => o.Simulation.ExpectedCost));
    }

    [Fact]
    public async Task Parallel_and_sequential_simulation_agree()
    {
        var request = TestRequests.Make(Category.Hvac, Urgency.Normal, 0.3, RiskLevel.Low, "Heater blows cold air.");
        var parallel = await new OptionSimulator(TestRequests.Options(o => o.Simulation.Parallel = true)).SimulateAsync(request);
        var sequential = await new OptionSimulator(TestRequests.Options(o => o.Simulation.Parallel = false)).SimulateAsync(request);

        Assert.Equal(parallel.Select(o => (o.Id, o.Simulation.P50Hours, o.Simulation.ExpectedCost, o.Simulation.EscalationProbability)),
            sequential.Select(o => (o.Id, o.Simulation.P50Hours, o.Simulation.ExpectedCost, o.Simulation.EscalationProbability)));
    }

    [Fact]
    public async Task Default_runs_are_2000_and_the_figures_are_coherent()
    {
        var request = TestRequests.Make(Category.Plumbing, Urgency.Emergency, 0.85, RiskLevel.Critical, "Pipe burst, water everywhere!");
        var options = await new OptionSimulator(TestRequests.Options()).SimulateAsync(request);

        Assert.All(options, o =>
        {
            var s = o.Simulation;
            Assert.Equal(2000, s.Runs);
            Assert.True(s.P50Hours > 0 && s.P50Hours <= s.P90Hours, o.Id);
            Assert.True(s.CostLow <= s.ExpectedCost && s.ExpectedCost <= s.CostHigh, o.Id);
            Assert.InRange(s.EscalationProbability, 0, 1);
            Assert.InRange(s.ExpectedSatisfaction, 0, 1);
            Assert.NotEmpty(s.PolicyNotes);
        });
        var dispatch = options.Single(o => o.Kind == OptionKinds.DispatchNow).Simulation;
        var schedule = options.Single(o => o.Kind == OptionKinds.ScheduleBySla).Simulation;
        // Sending someone now beats booking a slot on time and escalation, and only dispatching is emergency-compliant.
        Assert.True(dispatch.P50Hours < schedule.P50Hours);
        Assert.True(dispatch.EscalationProbability < schedule.EscalationProbability);
        Assert.True(dispatch.PolicyCompliant);
        Assert.False(schedule.PolicyCompliant);
    }

    [Fact]
    public async Task Requests_after_hours_wait_longer_for_day_crews()
    {
        var day = TestRequests.Make(Category.Appliance, Urgency.Normal, 0.2, RiskLevel.Low, "Dishwasher won't drain.");
        var simulator = new OptionSimulator(TestRequests.Options());

        var morning = await simulator.SimulateAsync(day, new SimulationSettings(StartHourOfDay: 9, Seed: 1));
        var evening = await simulator.SimulateAsync(day, new SimulationSettings(StartHourOfDay: 19, Seed: 1));

        double Vendor(IReadOnlyList<ResolutionOption> o) => o.Single(x => x.Kind == OptionKinds.Vendor).Simulation.P50Hours;
        Assert.True(Vendor(evening) > Vendor(morning));
    }

    [Fact]
    public async Task Higher_risk_means_more_escalation()
    {
        var simulator = new OptionSimulator(TestRequests.Options());
        var low = await simulator.SimulateAsync(TestRequests.Make(Category.Pest, Urgency.Normal, 0.1, RiskLevel.Low));
        var high = await simulator.SimulateAsync(TestRequests.Make(Category.Pest, Urgency.Normal, 0.7, RiskLevel.High));

        double Esc(IReadOnlyList<ResolutionOption> o) => o.Single(x => x.Kind == OptionKinds.ScheduleBySla).Simulation.EscalationProbability;
        Assert.True(Esc(high) > Esc(low) * 3);
    }

    [Fact]
    public async Task Options_cite_the_policies_the_retriever_finds()
    {
        var retriever = new InMemoryPolicyRetriever();
        var request = TestRequests.Make(Category.Plumbing, Urgency.Emergency, 0.8, RiskLevel.High);
        var options = await new OptionSimulator(TestRequests.Options(), retriever).SimulateAsync(request);

        var dispatch = options.Single(o => o.Kind == OptionKinds.DispatchNow);
        Assert.Contains(dispatch.Citations, c => c.DocumentId == "POL-001");
        Assert.All(dispatch.Citations, c => Assert.Contains(InMemoryPolicyRetriever.Chunks, k => k.DocumentId == c.DocumentId && k.Section == c.Section));
    }

    [Fact]
    public async Task Unclassified_requests_and_bad_settings_are_refused()
    {
        var simulator = new OptionSimulator(TestRequests.Options());
        var raw = ResidentRequest.Create("r", "res", "B", "1", Channel.Web, "hi", TestRequests.Morning, "res");
        await Assert.ThrowsAsync<RequestNotReadyException>(() => simulator.SimulateAsync(raw));

        var request = TestRequests.Make(Category.Plumbing, Urgency.Normal, 0.2, RiskLevel.Low);
        var ex = await Assert.ThrowsAsync<InvalidSimulationSettingsException>(() => simulator.SimulateAsync(request, new SimulationSettings(Runs: 5, StartHourOfDay: 25)));
        Assert.Contains("runs", ex.Errors.Keys);
        Assert.Contains("startHourOfDay", ex.Errors.Keys);
    }

    [Fact]
    public async Task Template_descriptions_carry_the_simulated_figures()
    {
        var options = await new OptionSimulator(TestRequests.Options()).SimulateAsync(TestRequests.Make(Category.Billing, Urgency.Normal, 0.2, RiskLevel.Low));
        var credit = options.Single(o => o.Kind == OptionKinds.BillingCredit);
        Assert.Contains("50.00", credit.Description);
        Assert.Equal(50m, credit.Amount);
        Assert.StartsWith("A goodwill credit of 50.00 is posted to the resident's ledger once a manager approves it", credit.Description);
    }
}
