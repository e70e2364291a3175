using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ApartmentManager.Execution.Webhooks;

/// <summary>
/// Signs webhook bodies: <c>X-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))</c> with the Unix
/// timestamp in <c>X-Signature-Timestamp</c>. Binding the timestamp into the MAC lets receivers refuse replays
/// older than their tolerance. Receivers (and the tests' loopback receiver) call <see cref="Verify"/>.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Signature";
    public const string TimestampHeader = "X-Signature-Timestamp";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static string Compute(string secret, long unixTimestamp, ReadOnlySpan<byte> body)
    {
        byte[] key = Encoding.UTF8.GetBytes(secret);
        byte[] prefix = Encoding.UTF8.GetBytes(unixTimestamp.ToString(CultureInfo.InvariantCulture) + ".");
        byte[] message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, message));
    }

    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (signatureHeader is null || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp))
        {
            return false;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > tolerance.TotalSeconds)
        {
            return false;
        }
        byte[] expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, body));
        byte[] actual = Encoding.ASCII.GetBytes(signatureHeader);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
