using System.Text;
using FsCheck.Xunit;
using HeadlessLoyalty.GraphQL.Relay;

namespace HeadlessLoyalty.GraphQL.Tests.Relay;

public sealed class GlobalIdTests
{
    [Theory]
    [InlineData("Customer", "42")]
    [InlineData("Reward", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("Order", "tenant:7:order:9")]
    [InlineData("Café", "naïve ✓")]
    [InlineData("Empty", "")]
    public void Round_trips_type_and_id(string typeName, string id)
    {
        var globalId = GlobalId.Encode(typeName, id);

        Assert.True(GlobalId.TryDecode(globalId, out var decodedType, out var decodedId));
        Assert.Equal(typeName, decodedType);
        Assert.Equal(id, decodedId);
    }

    [Fact]
    public void Encoded_ids_are_url_safe_and_do_not_show_their_parts()
    {
        var globalId = GlobalId.Encode("Customer", "a/b+c?d=e");

        Assert.DoesNotContain("Customer", globalId);
        Assert.DoesNotMatch("[+/=]", globalId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not valid base64url!")]
    [InlineData("Q3VzdG9tZXI")] // "Customer": no separator
    [InlineData("OjQy")] // ":42": empty type name
    public void Rejects_strings_that_are_not_global_ids(string? candidate)
    {
        Assert.False(GlobalId.TryDecode(candidate, out _, out _));
    }

    [Fact]
    public void Rejects_invalid_utf8()
    {
        var bytes = new byte[] { 0x41, 0x3A, 0xFF, 0xFE };
        var candidate = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.False(GlobalId.TryDecode(candidate, out _, out _));
    }

    [Fact]
    public void Rejects_overlong_input_without_decoding_it()
    {
        var candidate = GlobalId.Encode("T", new string('x', 2000));

        Assert.False(GlobalId.TryDecode(candidate, out _, out _));
    }

    [Fact]
    public void Type_names_cannot_contain_the_separator()
    {
        Assert.Throws<ArgumentException>(() => GlobalId.Encode("Bad:Type", "1"));
        Assert.Throws<ArgumentException>(() => GlobalId.Encode("", "1"));
    }

    [Property(MaxTest = 500)]
    public bool Any_type_without_separator_and_any_id_round_trip(string? typeName, string? id)
    {
        if (string.IsNullOrEmpty(typeName) || typeName.Contains(':') || id is null
            || !IsWellFormed(typeName) || !IsWellFormed(id) || Encoding.UTF8.GetByteCount(typeName + id) > 600)
            return true; // outside the domain of Encode
        return GlobalId.TryDecode(GlobalId.Encode(typeName, id), out var t, out var i) && t == typeName && i == id;
    }

    // Lone surrogates cannot survive UTF-8, so they are not ids anyone can issue.
    private static bool IsWellFormed(string s)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetBytes(s);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
