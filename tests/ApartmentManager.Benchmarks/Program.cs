using BenchmarkDotNet.Running;

// Each area keeps its suites in its own folder; pick them with --filter.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
