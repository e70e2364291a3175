using System.Security.Cryptography;

namespace ApartmentManager.SingleNode.Security;

/// <summary>
/// The shared secret of the inbound work-order webhook when <c>Hooks:WorkOrders:SigningSecret</c> is not set: created
/// in the data directory on first start (owner-readable only), so a local maintenance system (or curl) can sign with it.
/// </summary>
public static class HookSecretFile
{
    public const string FileName = "work-order-hook.secret";

    public static string LoadOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temp, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            try
            {
                File.Move(temp, path, overwrite: false); // two hosts starting at once: the first secret wins
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }
        return File.ReadAllText(path).Trim();
    }
}
