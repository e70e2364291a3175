using ApartmentManager.Benchmarks.Pipeline;
using ApartmentManager.Benchmarks.Soak;
using BenchmarkDotNet.Running;

// `pipeline [requests] [runsPerOption]` measures end-to-end throughput of single-node mode; anything else goes to
// BenchmarkDotNet (each area keeps its suites in its own folder; pick them with --filter).
if (args is ["pipeline", ..])
{
    return await PipelineThroughput.RunAsync(args[1..]);
}
// `soak [messages] [kills] [failureRate]`: the host in webhook mode killed and restarted under a double-delivered intake.
if (args is ["soak", ..])
{
    return await SoakRun.RunAsync(args[1..]);
}
// `simulation-cpu [iterations]`: the simulation of every option of a request, sequential, as thread CPU time per call
// (robust on a shared machine where BenchmarkDotNet's wall clock is not).
if (args is ["simulation-cpu", ..])
{
    return ApartmentManager.Benchmarks.Decisions.SimulationCpu.Run(args[1..]);
}
// `models-cpu [iterations]`: classification and risk prediction, thread CPU and bytes allocated per call.
if (args is ["models-cpu", ..])
{
    return ApartmentManager.Benchmarks.Intelligence.ModelsCpu.Run(args[1..]);
}
// `post-load ADDRESS TOKEN COUNT`: the pipeline burst's clients in their own process (BENCH_CLIENTS=process).
if (args is ["post-load", ..])
{
    return await ClientProcess.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(PipelineThroughput).Assembly).Run(args);
return 0;
