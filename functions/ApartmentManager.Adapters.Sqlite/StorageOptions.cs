namespace ApartmentManager.Adapters.Sqlite;

/// <summary>Where the embedded host keeps its files (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The data directory (<c>Storage:DataDirectory</c>, environment <c>Storage__DataDirectory</c>). Defaults to
    /// the user's local data folder, never the repository.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// <c>Storage:SingleConnection</c>: the request store and the workflow engine share one connection to
    /// <c>requests.db</c>, lent to one caller at a time, whose page cache survives between calls (true, the default);
    /// false: a pool of connections, each of which re-reads the pages another has changed.
    /// </summary>
    public bool SingleConnection { get; set; } = true;

    public string ResolveDataDirectory()
    {
        var dir = string.IsNullOrWhiteSpace(DataDirectory) ? DefaultDataDirectory : Path.GetFullPath(DataDirectory);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            // A new data directory is the owner's alone (0700): it holds the databases and the token signing key.
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return dir;
    }

    public static string DefaultDataDirectory => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "ApartmentManager");
}
