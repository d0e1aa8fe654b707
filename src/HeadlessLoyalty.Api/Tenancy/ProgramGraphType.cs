using GraphQL;
using GraphQL.Types;
using HeadlessLoyalty.Api.Auth;
using HeadlessLoyalty.Api.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tenancy;

public sealed class LoyaltyProgramType : ObjectGraphType<LoyaltyProgram>
{
    public LoyaltyProgramType()
    {
        Name = "LoyaltyProgram";
        Description = "The caller's loyalty program (the tenant every token belongs to).";
        Field(p => p.Slug).Description("URL-safe handle, as named by tokens.");
        Field(p => p.Name).Description("Display name.");
        Field(p => p.Currency).Description("ISO 4217 currency code of amounts in the program.");
        Field(p => p.TimeZone).Description("IANA time zone in which the program counts days (birthdays, expiry).");
    }
}

public static class ProgramFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<LoyaltyProgramType>>("program")
            .Description("The caller's program (every role).")
            .AuthorizeWithRoles(Roles.All.ToArray())
            .ResolveAsync(async c => await c.Db().Programs.AsNoTracking().SingleAsync(p => p.Id == c.Caller().ProgramId, c.CancellationToken));
    }
}
