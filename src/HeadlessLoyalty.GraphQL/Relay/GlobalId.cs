using System.Buffers.Text;
using System.Text;

namespace HeadlessLoyalty.GraphQL.Relay;

/// <summary>
/// Relay global object ids: base64url (no padding) of "{typeName}:{id}". Opaque to clients, not secret: they carry
/// the type so that <c>node(id:)</c> can dispatch, and the id part may itself contain ':'.
/// </summary>
public static class GlobalId
{
    private const int MaxLength = 1024;

    public static string Encode(string typeName, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(id);
        if (typeName.Contains(':'))
            throw new ArgumentException("A type name cannot contain ':'.", nameof(typeName));
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{typeName}:{id}"));
    }

    public static bool TryDecode(string? globalId, out string typeName, out string id)
    {
        typeName = id = string.Empty;
        if (string.IsNullOrEmpty(globalId) || globalId.Length > MaxLength || !Base64Url.IsValid(globalId))
            return false;
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
                .GetString(Base64Url.DecodeFromChars(globalId));
        }
        catch (FormatException)
        {
            return false;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var colon = text.IndexOf(':');
        if (colon <= 0)
            return false;
        typeName = text[..colon];
        id = text[(colon + 1)..];
        return true;
    }
}
