using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Tenancy;

public abstract class TenantFilterTests(DatabaseFixture fixture)
{
    private readonly LoyaltyApiFactory _app = fixture.Factory;
    private readonly string _a = $"a-{Guid.NewGuid():N}"[..12];
    private readonly string _b = $"b-{Guid.NewGuid():N}"[..12];

    private static Member NewMember(string email, long number) => new()
    {
        Id = Guid.NewGuid(), Email = email, NormalizedEmail = Member.NormalizeEmail(email),
        MemberCode = $"C{number}{Guid.NewGuid():N}"[..10], MemberNumber = number, EnrolledAt = LoyaltyApiFactory.Epoch,
    };

    [DbFact]
    public async Task A_scope_of_program_A_never_sees_rows_of_program_B()
    {
        var programB = await _app.CreateProgramAsync(_b);
        await _app.CreateProgramAsync(_a);
        await _app.WithTenantAsync(_b, db => { db.Members.Add(NewMember("b@example.com", 1)); return db.SaveChangesAsync(); });
        await _app.WithTenantAsync(_a, db => { db.Members.Add(NewMember("a@example.com", 1)); return db.SaveChangesAsync(); });

        var seenFromA = await _app.WithTenantAsync(_a, db => db.Members.Select(m => m.Email).ToListAsync());
        var byIdFromA = await _app.WithTenantAsync(_a, db => db.Members.CountAsync(m => m.ProgramId == programB.Id));
        var bWithoutFilter = await _app.WithTenantAsync(_a, db => db.Members.IgnoreQueryFilters().CountAsync(m => m.ProgramId == programB.Id));

        Assert.Equal(["a@example.com"], seenFromA);
        Assert.Equal(0, byIdFromA);
        Assert.Equal(1, bWithoutFilter);
    }

    [DbFact]
    public async Task An_insert_takes_the_program_of_the_scope()
    {
        var program = await _app.CreateProgramAsync(_a);
        var member = NewMember("stamp@example.com", 1);

        await _app.WithTenantAsync(_a, db => { db.Members.Add(member); return db.SaveChangesAsync(); });

        var stored = await _app.WithTenantlessDb(db => db.Members.IgnoreQueryFilters().SingleAsync(m => m.Id == member.Id));
        Assert.Equal(program.Id, stored.ProgramId);
    }

    [DbFact]
    public async Task Writing_a_row_of_program_B_from_a_scope_of_program_A_throws_and_stores_nothing()
    {
        var programB = await _app.CreateProgramAsync(_b);
        await _app.CreateProgramAsync(_a);
        var intruder = NewMember("intruder@example.com", 1);
        intruder.ProgramId = programB.Id;

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _app.WithTenantAsync(_a, db => { db.Members.Add(intruder); return db.SaveChangesAsync(); }));

        Assert.False(await _app.WithTenantlessDb(db => db.Members.IgnoreQueryFilters().AnyAsync(m => m.Id == intruder.Id)));
    }

    [DbFact]
    public async Task A_scope_without_a_program_sees_no_tenant_rows_and_cannot_insert_them()
    {
        await _app.CreateProgramAsync(_a);
        await _app.WithTenantAsync(_a, db => { db.Members.Add(NewMember("x@example.com", 1)); return db.SaveChangesAsync(); });

        Assert.Equal(0, await _app.WithTenantlessDb(db => db.Members.CountAsync()));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _app.WithTenantlessDb(db => { db.Members.Add(NewMember("y@example.com", 2)); return db.SaveChangesAsync(); }));
    }
}

public sealed class TenantFilterTestsOnSqlite(SqliteFixture fixture) : TenantFilterTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TenantFilterTestsOnPostgres(PostgresFixture fixture) : TenantFilterTests(fixture), IClassFixture<PostgresFixture>;
