using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Members;

namespace HeadlessLoyalty.Api.Tests.Members;

public sealed class MemberRulesTests
{
    private static readonly DateOnly Today = new(2026, 3, 15);

    [Fact]
    public void Email_is_trimmed_and_normalized_to_lower_case()
    {
        Assert.Equal(("Ann.Lee@Example.COM", "ann.lee@example.com"), MemberRules.Email("  Ann.Lee@Example.COM "));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("no-at-sign.com")]
    [InlineData("a@b")]
    [InlineData("a b@c.com")]
    [InlineData("a@@c.com")]
    public void Malformed_emails_are_invalid(string email)
    {
        var ex = Assert.Throws<InvalidInputException>(() => MemberRules.Email(email));
        Assert.Equal("email", ex.Field);
    }

    [Fact]
    public void An_email_over_320_characters_is_invalid()
    {
        Assert.Throws<InvalidInputException>(() => MemberRules.Email(new string('a', 310) + "@example.com"));
    }

    [Theory]
    [InlineData(2, 29, null)]
    [InlineData(2, 29, 2024)]
    [InlineData(12, 31, 1990)]
    [InlineData(3, 15, 2026)]
    public void Valid_birthdays_are_kept(int month, int day, int? year)
    {
        Assert.Equal((month, day, year), MemberRules.Birthday(month, day, year, Today));
    }

    [Theory]
    [InlineData(2, 29, 2023, "birthdayDay")]
    [InlineData(2, 30, null, "birthdayDay")]
    [InlineData(4, 31, null, "birthdayDay")]
    [InlineData(13, 1, null, "birthdayMonth")]
    [InlineData(0, 1, null, "birthdayMonth")]
    [InlineData(null, 1, null, "birthdayMonth")]
    [InlineData(5, null, null, "birthdayDay")]
    [InlineData(5, 0, null, "birthdayDay")]
    [InlineData(1, 1, 1899, "birthdayYear")]
    [InlineData(3, 16, 2026, "birthdayYear")]
    [InlineData(null, null, 1990, "birthdayYear")]
    public void Impossible_birthdays_name_the_field(int? month, int? day, int? year, string field)
    {
        var ex = Assert.Throws<InvalidInputException>(() => MemberRules.Birthday(month, day, year, Today));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void No_birthday_is_fine()
    {
        Assert.Equal((null, null, null), MemberRules.Birthday(null, null, null, Today));
    }

    [Theory]
    [InlineData("+44 20 7946 0958")]
    [InlineData("(555) 123-4567")]
    public void Plausible_phones_are_kept(string phone) => Assert.Equal(phone, MemberRules.Phone(" " + phone + " "));

    [Theory]
    [InlineData("call me")]
    [InlineData("12")]
    [InlineData("+1 555 0100 ext 2")]
    public void Implausible_phones_are_invalid(string phone)
    {
        Assert.Equal("phone", Assert.Throws<InvalidInputException>(() => MemberRules.Phone(phone)).Field);
    }

    [Fact]
    public void Blank_names_mean_none_and_long_names_are_invalid()
    {
        Assert.Null(MemberRules.Name("  ", "firstName"));
        Assert.Equal("Ann", MemberRules.Name(" Ann ", "firstName"));
        Assert.Equal("lastName", Assert.Throws<InvalidInputException>(() => MemberRules.Name(new string('x', 101), "lastName")).Field);
    }

    [Fact]
    public void Member_codes_use_only_the_unambiguous_alphabet()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => MemberRules.NewMemberCode()).ToList();
        Assert.All(codes, c =>
        {
            Assert.Equal(MemberRules.MemberCodeLength, c.Length);
            Assert.DoesNotContain(c, ch => "01OIL".Contains(ch) || !MemberRules.MemberCodeAlphabet.Contains(ch));
        });
        Assert.True(codes.Distinct().Count() > 190);
    }

    [Fact]
    public void Codes_typed_in_groups_or_lower_case_normalize()
    {
        Assert.Equal("ABCD2345", MemberRules.NormalizeCode("abcd-2345"));
        Assert.Equal("ABCD2345", MemberRules.NormalizeCode("ABCD 2345"));
    }

    [Fact]
    public void External_ids_are_trimmed_and_kept_in_order()
    {
        var ids = MemberRules.ExternalIds([new(" shopify:acme ", " 42 "), new("woo:acme", "7")]);
        Assert.Equal([new ExternalIdInput("shopify:acme", "42"), new ExternalIdInput("woo:acme", "7")], ids);
        Assert.Empty(MemberRules.ExternalIds(null));
    }

    [Theory]
    [InlineData("", "1", "externalIds.store")]
    [InlineData("shop", " ", "externalIds.externalId")]
    public void An_external_id_needs_a_store_and_a_value(string store, string id, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => MemberRules.ExternalIds([new(store, id)]));
        Assert.Equal(("INVALID_INPUT", field), (e.Code, e.Field));
    }

    [Fact]
    public void A_member_has_one_id_per_store()
    {
        var e = Assert.Throws<InvalidInputException>(() => MemberRules.ExternalIds([new("shop", "1"), new("shop ", "2")]));
        Assert.Equal("externalIds.store", e.Field);
    }

    [Fact]
    public void Overlong_external_ids_are_refused()
    {
        Assert.Throws<InvalidInputException>(() => MemberRules.ExternalIds([new(new string('s', MemberRules.MaxStoreLength + 1), "1")]));
        Assert.Throws<InvalidInputException>(() => MemberRules.ExternalIds([new("shop", new string('1', MemberRules.MaxExternalIdLength + 1))]));
    }
}
