using GraphQL.Types;
using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.GraphQL;

public sealed class UserErrorType : ObjectGraphType<UserError>
{
    public UserErrorType()
    {
        Name = "UserError";
        Description = "Why a mutation changed nothing. Switch on `code`; the message is for people and may change.";
        Field(e => e.Code).Description("Stable machine-readable code, e.g. MEMBER_NOT_FOUND (listed in the README's error table).");
        Field(e => e.Message).Description("Human-readable explanation.");
        Field(e => e.Field, nullable: true).Description("Path of the input field at fault (e.g. `email`, `birthday.month`), or null when the error is not about one field.");
    }
}

internal static class Mutations
{
    /// <summary>
    /// Every mutation returns a payload of the changed objects, or none and the refusals, so a client reads one
    /// shape whether the change happened or not. Runs a change; a domain refusal becomes the payload's userErrors with nothing changed (the operation's
    /// transaction never committed). Field names are translated to the GraphQL input's shape.
    /// </summary>
    public static async Task<TPayload> RunAsync<TPayload>(Func<Task<TPayload>> change, Func<IReadOnlyList<UserError>, TPayload> refused)
    {
        try
        {
            return await change();
        }
        catch (LoyaltyException e)
        {
            return refused([e.ToUserError() with { Field = InputField(e.Field) }]);
        }
    }

    private static string? InputField(string? field) => field switch
    {
        "birthdayMonth" => "birthday.month",
        "birthdayDay" => "birthday.day",
        "birthdayYear" => "birthday.year",
        "clearBirthday" => "birthday",
        _ => field,
    };
}
