using System.Security.Cryptography;
using System.Text;
using HeadlessLoyalty.Api.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace HeadlessLoyalty.Api.Auth;

/// <summary>
/// The HMAC-SHA256 key of the embedded issuer: <c>Auth:SigningKey</c>, else <c>signing-key</c> in the data folder,
/// generated on first use. Server and CLI read the same file, so a CLI-minted token works against the server.
/// </summary>
public sealed class LocalSigningKey(IOptions<AuthOptions> options, DatabaseSettings database)
{
    private readonly Lazy<SymmetricSecurityKey> _key = new(() => new SymmetricSecurityKey(Load(options.Value.SigningKey, database)));

    public SymmetricSecurityKey Key => _key.Value;

    private static byte[] Load(string? configured, DatabaseSettings database)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return Validate(TryBase64(configured) ?? Encoding.UTF8.GetBytes(configured));
        var path = Path.Combine(database.EnsureDataDirectory(), "signing-key");
        if (!File.Exists(path))
        {
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))));
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process (server and CLI starting together) created it first: use theirs.
            }
        }
        return Validate(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

    private static byte[]? TryBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written >= 32 ? buffer[..written] : null;
    }

    private static byte[] Validate(byte[] key) => key.Length >= 32
        ? key
        : throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (256 bits).");
}
