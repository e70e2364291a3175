using System.Net;

namespace ApartmentManager.Api.Tests;

/// <summary>Where the single-node host keeps its files and who may read them.</summary>
public sealed class DataFilesTests
{
    [Fact]
    public async Task Every_database_and_the_signing_key_live_under_the_data_directory_owner_only()
    {
        var parent = Directory.CreateTempSubdirectory("am-files-").FullName;
        var dataDirectory = Path.Combine(parent, "data"); // not there yet: the host creates it
        try
        {
            await using (var host = await SingleNodeHost.StartAsync(dataDirectory, "--Workflow:PollInterval", "00:00:00.100",
                // An old setting that pointed the execution log elsewhere no longer splits the data.
                "--Execution:DataDirectory", Path.Combine(parent, "elsewhere")))
            {
                using var resident = host.Client("res-files");
                Assert.Equal(HttpStatusCode.Created, (await resident.CreateAsync()).StatusCode);
                using var admin = host.Admin();
                var id = await resident.CreateIdAsync();
                await admin.PostAsync("/api/v1/notify", Json.Body(new { requestId = id, subject = "s", message = "m" }));
            }

            foreach (var db in new[] { "requests.db", "executions.db", "queues.db" })
            {
                Assert.True(File.Exists(Path.Combine(dataDirectory, db)), $"{db} is not in the data directory");
            }
            // The workflow engine's tables share the request store's file (one commit per step), no file of their own.
            Assert.False(File.Exists(Path.Combine(dataDirectory, "workflow.db")));
            using (var requests = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "requests.db")};Mode=ReadOnly;Pooling=False"))
            {
                requests.Open();
                using var count = requests.CreateCommand();
                count.CommandText = "SELECT COUNT(*) FROM wf_instances";
                Assert.True(Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) >= 2);
            }
            Assert.False(Directory.Exists(Path.Combine(parent, "elsewhere")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
                    File.GetUnixFileMode(Path.Combine(dataDirectory, "jwt-signing.key")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDirectory));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(parent, recursive: true);
        }
    }
}
