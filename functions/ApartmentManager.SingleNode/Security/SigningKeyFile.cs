using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ApartmentManager.SingleNode.Security;

/// <summary>
/// The HMAC key that signs single-node tokens. It lives in the data directory (created on first start, readable by
/// the owner only), so only someone with access to that directory can mint tokens that host accepts.
/// </summary>
public static class SigningKeyFile
{
    public const string FileName = "jwt-signing.key";

    public static SymmetricSecurityKey LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            // Created owner-only (0600): never readable by anyone else, not even between creation and a chmod.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(temp, System.Text.Encoding.ASCII, create))
            {
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            try
            {
                File.Move(temp, path, overwrite: false); // two hosts starting at once: the first key wins
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }
        var bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException($"The signing key in {path} is shorter than 256 bits; delete it to have a new one created.");
        }
        return new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] };
    }
}
