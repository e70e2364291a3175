using ApartmentManager.ModelTraining;

// Usage: dotnet run -c Release --project inference-containers/ApartmentManager.ModelTraining [-- <repo root>]
if (args is ["--explain", var text])
{
    ApartmentManager.ModelTraining.Experiments.Explain(text);
    return 0;
}
if (args is ["--time"])
{
    ApartmentManager.ModelTraining.Timing.Run(FindRepoRoot(Directory.GetCurrentDirectory()));
    return 0;
}
if (args is ["--classify", var message])
{
    await ApartmentManager.ModelTraining.Experiments.ClassifyAsync(FindRepoRoot(Directory.GetCurrentDirectory()), message);
    return 0;
}
if (args is ["--validate"])
{
    return await new TrainingPipeline(FindRepoRoot(Directory.GetCurrentDirectory()), Console.Out).ValidateAsync();
}
if (args is ["--validate-folds"])
{
    return await new TrainingPipeline(FindRepoRoot(Directory.GetCurrentDirectory()), Console.Out).ValidateFoldsAsync();
}
if (args is ["--sweep"])
{
    ApartmentManager.ModelTraining.Experiments.Sweep(FindRepoRoot(Directory.GetCurrentDirectory()));
    return 0;
}
var root = args.Length > 0 ? Path.GetFullPath(args[0]) : FindRepoRoot(Directory.GetCurrentDirectory());
Console.WriteLine($"repository: {root}");
var sw = System.Diagnostics.Stopwatch.StartNew();
var code = await new TrainingPipeline(root, Console.Out).RunAsync();
Console.WriteLine($"done in {sw.Elapsed.TotalSeconds:0.0}s, exit code {code}");
return code;

static string FindRepoRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("Run from inside the repository or pass its root as the first argument.");
}
