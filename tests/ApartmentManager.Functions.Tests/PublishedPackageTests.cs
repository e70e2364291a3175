using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using ApartmentManager.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Xunit.Abstractions;

namespace ApartmentManager.Functions.Tests;

/// <summary>
/// The deployable package: <c>dotnet publish</c> of the Functions app (from the build this test run already made,
/// <c>--no-build</c>, same configuration and Service Bus switch), read the way the Functions host reads it:
/// <c>functions.metadata</c> (one entry per <c>[Function]</c> method, with its trigger and bindings) and
/// <c>extensions.json</c> (the host-side extensions the bindings need). Built here on the Service Bus extension stub,
/// the package lacks the host's Service Bus extension, and the test says so instead of skipping.
/// </summary>
public sealed class PublishedPackageTests(PublishedPackageTests.Package package, ITestOutputHelper output) : IClassFixture<PublishedPackageTests.Package>
{
    private static readonly MethodInfo[] Functions = typeof(RequestFunctions).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
        .ToArray();

    [Fact]
    public void Functions_metadata_has_one_entry_per_function_method_pointing_at_it()
    {
        output.WriteLine(package.Summary);
        var entries = package.Metadata.RootElement.EnumerateArray()
            .Select(e => (Name: e.GetProperty("name").GetString()!, EntryPoint: e.GetProperty("entryPoint").GetString()!, Script: e.GetProperty("scriptFile").GetString()!))
            .ToList();

        Assert.Equal(
            Functions.Select(m => (m.GetCustomAttribute<FunctionAttribute>()!.Name, $"{m.DeclaringType!.FullName}.{m.Name}")).Order(),
            entries.Select(e => (e.Name, e.EntryPoint)).Order());
        Assert.All(entries, e => Assert.True(File.Exists(Path.Combine(package.Directory, e.Script)), $"{e.Name}: {e.Script} is not in the package"));
    }

    [Fact]
    public void Durable_functions_carry_their_orchestration_activity_and_client_bindings()
    {
        Assert.Equal(["orchestrationTrigger"], Types(Binding("RequestWorkflow")));
        Assert.Equal(["activityTrigger"], Types(Binding("RunWorkflowStep")));
        // The outbox dispatcher is a timer function (the Timer trigger is built into the host: no extension to register).
        var timer = Assert.Single(Binding("DispatchOutbox"));
        Assert.Equal("timerTrigger", timer.GetProperty("type").GetString());
        Assert.Equal(ApartmentManager.Functions.Platform.OutboxDispatchFunction.Schedule, timer.GetProperty("schedule").GetString());

        // Exactly the functions with a [DurableClient] parameter have a durableClient binding.
        var withClient = Functions.Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<DurableClientAttribute>() is not null))
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name).Order().ToList();
        Assert.NotEmpty(withClient);
        Assert.Equal(withClient, package.Entries.Where(e => Types(e.Value).Contains("durableClient")).Select(e => e.Key).Order());
    }

    [Fact]
    public void Http_functions_carry_their_route_methods_and_http_output()
    {
        var http = Functions.Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null)).ToList();
        Assert.NotEmpty(http);
        foreach (var method in http)
        {
            var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).Single(a => a is not null)!;
            var bindings = Binding(method.GetCustomAttribute<FunctionAttribute>()!.Name);
            var httpTrigger = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(trigger.Route, httpTrigger.GetProperty("route").GetString());
            Assert.Equal(trigger.Methods!.Select(m => m.ToLowerInvariant()).Order(),
                httpTrigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()).Order());
            Assert.Contains(bindings, b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
        }
    }

    [Fact]
    public void Service_bus_functions_carry_their_queues_topic_and_identity_connection()
    {
        AssertServiceBus(Binding("RequestsIntake"), "serviceBusTrigger", "queueName", "requests-intake");
        AssertServiceBus(Binding("Executions"), "serviceBusTrigger", "queueName", "executions");
        // Topic request-events gets the domain events from the outbox dispatcher through the SDK, not an output binding.
        Assert.DoesNotContain(package.Entries.Values.SelectMany(b => b), b => b.GetProperty("type").GetString() == "serviceBus");
    }

    [Fact]
    public void Extensions_json_registers_the_durable_extension_and_says_whether_service_bus_is_in_the_package()
    {
        var extensions = package.Extensions.RootElement.GetProperty("extensions").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => (Type: e.GetProperty("typeName").GetString()!, Hint: e.GetProperty("hintPath").GetString()!));

        var durable = extensions["DurableTask"];
        Assert.StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.", durable.Type, StringComparison.Ordinal);
        Assert.All(extensions.Values, e => Assert.True(File.Exists(Path.Combine(package.Directory, e.Hint)), $"{e.Hint} is not in the package"));
        Assert.True(File.Exists(Path.Combine(package.Directory, "host.json")));
        Assert.True(File.Exists(Path.Combine(package.Directory, "worker.config.json")));

        var serviceBus = extensions.Keys.Where(k => k.Contains("ServiceBus", StringComparison.OrdinalIgnoreCase)).ToList();
        if (BuildInfo.ServiceBusExtensionStubbed)
        {
            // What a build on the stub lacks (build/functions-api-stubs): the bindings are in functions.metadata, but the
            // host would have no Service Bus extension to run them. Such a package must not be deployed.
            Assert.Empty(serviceBus);
            output.WriteLine("Built on the Service Bus extension stub: extensions.json has no Service Bus extension (not deployable).");
        }
        else
        {
            Assert.NotEmpty(serviceBus);
        }
    }

    private IReadOnlyList<JsonElement> Binding(string function) => package.Entries[function];

    private static List<string> Types(IReadOnlyList<JsonElement> bindings) => [.. bindings.Select(b => b.GetProperty("type").GetString()!)];

    private static JsonElement AssertServiceBus(IReadOnlyList<JsonElement> bindings, string type, string entityProperty, string entity)
    {
        var binding = Assert.Single(bindings, b => b.GetProperty("type").GetString() == type);
        Assert.Equal(entity, binding.GetProperty(entityProperty).GetString());
        Assert.Equal("ServiceBusConnection", binding.GetProperty("connection").GetString());
        return binding;
    }

    /// <summary>One publish for the class, into a temporary folder (files hard-linked where possible), deleted afterwards.</summary>
    public sealed class Package : IDisposable
    {
        public Package()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("functions-publish-").FullName;
            var project = Path.Combine(BuildInfo.RepoRoot, "functions", "ApartmentManager.Functions", "ApartmentManager.Functions.csproj");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[]
            {
                "publish", project, "--no-build", "-nologo", "-v", "q", "-c", BuildInfo.Configuration, "-o", Directory,
                $"-p:UseServiceBusExtensionStub={BuildInfo.ServiceBusExtensionStubbed.ToString().ToLowerInvariant()}",
                "-p:CreateHardLinksForPublishFilesIfPossible=true",
            })
            {
                start.ArgumentList.Add(argument);
            }
            var clock = Stopwatch.StartNew();
            using var publish = Process.Start(start)!;
            var stdout = publish.StandardOutput.ReadToEndAsync();
            var stderr = publish.StandardError.ReadToEndAsync();
            if (!publish.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                publish.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet publish did not finish in 5 minutes.");
            }
            if (publish.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
            }
            Summary = FormattableString.Invariant($"dotnet publish --no-build took {clock.Elapsed.TotalSeconds:0.0} s.");
            Metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "functions.metadata")));
            Extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "extensions.json")));
            Entries = Metadata.RootElement.EnumerateArray().ToDictionary(
                e => e.GetProperty("name").GetString()!, e => (IReadOnlyList<JsonElement>)[.. e.GetProperty("bindings").EnumerateArray()]);
        }

        public string Directory { get; }
        public string Summary { get; }
        public JsonDocument Metadata { get; }
        public JsonDocument Extensions { get; }
        public IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> Entries { get; }

        public void Dispose()
        {
            Metadata.Dispose();
            Extensions.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
