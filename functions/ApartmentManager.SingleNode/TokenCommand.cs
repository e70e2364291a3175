using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.SingleNode.Security;

namespace ApartmentManager.SingleNode;

/// <summary>
/// <c>token --sub &lt;id&gt; --role &lt;resident|admin&gt; [--hours N]</c>: prints only a token that a host using the
/// same data directory accepts. Configuration (data directory, issuer) is read exactly as the host reads it.
/// </summary>
internal static class TokenCommand
{
    public static int Run(string[] args)
    {
        string? sub = null, role = null;
        double hours = 12;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sub" when i + 1 < args.Length: sub = args[++i]; break;
                case "--role" when i + 1 < args.Length: role = args[++i]; break;
                case "--hours" when i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out hours): i++; break;
                default: rest.Add(args[i]); break;
            }
        }
        if (string.IsNullOrWhiteSpace(sub) || role is null || !DevTokenIssuer.Roles.Contains(role) || hours <= 0)
        {
            Console.Error.WriteLine("usage: token --sub <id> --role <resident|admin> [--hours N] [--Storage:DataDirectory <dir>]");
            return 2;
        }

        var configuration = SingleNodeApp.LoadConfiguration(rest.ToArray());
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var auth = configuration.GetSection(DevAuthOptions.Section).Get<DevAuthOptions>() ?? new DevAuthOptions();
        var key = SigningKeyFile.LoadOrCreate(storage.ResolveDataDirectory());
        Console.WriteLine(new DevTokenIssuer(key, auth, TimeProvider.System).Mint(sub, role, TimeSpan.FromHours(hours)));
        return 0;
    }
}
