using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Members;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Tests.TestSupport;
using HeadlessLoyalty.Api.Tiers;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Tests.Members;

public sealed class MemberOperationsTests
{
    private readonly FixedClock _clock = new();

    private Task<EnrollMemberPayload> Enroll(TestDatabase db, string email, Guid? program = null)
    {
        var ctx = db.Context(program ?? db.ProgramA);
        return MemberOperations.EnrollAsync(ctx, _clock, "admin:t", new EnrollMemberInput(email, "Ann", "Lee", BirthdayMonth: 2, BirthdayDay: 29));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Enrolling_creates_the_member_with_a_code_a_sequential_number_and_a_zero_balance(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var first = await Enroll(db, " Ann.Lee@Example.com ");
        var second = await Enroll(db, "bob@example.com");

        Assert.Equal((1L, 2L), (first.Member.MemberNumber, second.Member.MemberNumber));
        Assert.Equal("Ann.Lee@Example.com", first.Member.Email);
        Assert.Equal((2, 29, (int?)null), (first.Member.BirthdayMonth, first.Member.BirthdayDay, first.Member.BirthdayYear));
        Assert.NotEqual(first.Member.MemberCode, second.Member.MemberCode);

        await using var ctx = db.ContextA();
        var stored = await MemberQueries.GetAsync(ctx, first.Member.Id);
        Assert.Equal(("ann.lee@example.com", db.ProgramA, MemberStatus.Active), (stored.NormalizedEmail, stored.ProgramId, stored.Status));
        var balance = await ctx.Balances.SingleAsync(b => b.MemberId == first.Member.Id);
        Assert.Equal((0L, 0L, db.ProgramA), (balance.Approved, balance.Lifetime, balance.ProgramId));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Email_is_unique_per_program_case_insensitively(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await Enroll(db, "ann@example.com");

        var ex = await Assert.ThrowsAsync<EmailTakenException>(() => Enroll(db, "  ANN@Example.COM"));
        Assert.Equal(("EMAIL_TAKEN", "email"), (ex.Code, ex.Field));

        // Another program may enroll the same address, and numbers its members from 1.
        var inB = await Enroll(db, "ann@example.com", db.ProgramB);
        Assert.Equal(1, inB.Member.MemberNumber);
        await using var ctx = db.ContextA();
        Assert.Equal(1, await ctx.Members.CountAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Invalid_input_is_refused_before_anything_is_written(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.ContextA();
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => MemberOperations.EnrollAsync(ctx, _clock, "t",
            new EnrollMemberInput("x@example.com", BirthdayMonth: 2, BirthdayDay: 29, BirthdayYear: 2023)));
        Assert.Equal("birthdayDay", ex.Field);
        Assert.Equal(0, await ctx.Members.CountAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_enrollments_get_distinct_sequential_numbers(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        const int n = 12;
        var payloads = await Task.WhenAll(Enumerable.Range(0, n).Select(i => Task.Run(async () =>
        {
            await using var ctx = db.ContextA();
            return await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput($"m{i}@example.com"));
        })));
        Assert.Equal(Enumerable.Range(1, n).Select(i => (long)i), payloads.Select(p => p.Member.MemberNumber).Order());
        Assert.Equal(n, payloads.Select(p => p.Member.MemberCode).Distinct().Count());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Concurrent_enrollments_of_one_email_enroll_it_once(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            await using var ctx = db.ContextA();
            try
            {
                await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput(i % 2 == 0 ? "same@example.com" : "SAME@example.com"));
                return "ok";
            }
            catch (EmailTakenException e) { return e.Code; }
        })));
        Assert.Equal(1, results.Count(r => r == "ok"));
        Assert.Equal(5, results.Count(r => r == "EMAIL_TAKEN"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Updating_changes_given_fields_only_and_keeps_email_unique(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var ann = await Enroll(db, "ann@example.com");
        await Enroll(db, "bob@example.com");
        _clock.Advance(TimeSpan.FromMinutes(5));

        await using (var ctx = db.ContextA())
        {
            var p = await MemberOperations.UpdateAsync(ctx, _clock, "t", new UpdateMemberInput(ann.Member.Id, Email: "Ann2@Example.com", Phone: "+1 555 0100", LastName: ""));
            Assert.Equal(("Ann2@Example.com", "Ann", null, "+1 555 0100", 2, _clock.Now), (p.Member.Email, p.Member.FirstName, p.Member.LastName, p.Member.Phone, p.Member.BirthdayMonth, p.Member.UpdatedAt));
            var taken = await Assert.ThrowsAsync<EmailTakenException>(() => MemberOperations.UpdateAsync(ctx, _clock, "t", new UpdateMemberInput(ann.Member.Id, Email: "BOB@example.com")));
            Assert.Equal("EMAIL_TAKEN", taken.Code);
            var cleared = await MemberOperations.UpdateAsync(ctx, _clock, "t", new UpdateMemberInput(ann.Member.Id, ClearBirthday: true));
            Assert.Null(cleared.Member.BirthdayMonth);
        }
        await using var check = db.ContextA();
        Assert.Equal("ann2@example.com", (await MemberQueries.FindByEmailAsync(check, "ANN2@example.com"))!.NormalizedEmail);
    }

    [Theory, SqliteData, PostgresData]
    public async Task Operations_in_one_program_never_see_or_touch_another(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var inB = await Enroll(db, "b@example.com", db.ProgramB);

        await using var a = db.ContextA();
        await Assert.ThrowsAsync<MemberNotFoundException>(() => MemberOperations.BlockAsync(a, _clock, "t", inB.Member.Id));
        await Assert.ThrowsAsync<MemberNotFoundException>(() => MemberOperations.UpdateAsync(a, _clock, "t", new UpdateMemberInput(inB.Member.Id, FirstName: "X")));
        await Assert.ThrowsAsync<MemberNotFoundException>(() => PointsOperations.AdjustAsync(a, _clock, "t", new AdjustPointsInput(inB.Member.Id, 10, "r"), "k"));
        Assert.Null(await MemberQueries.FindByEmailAsync(a, "b@example.com"));
        Assert.Null(await MemberQueries.FindByCodeAsync(a, inB.Member.MemberCode));
        Assert.Empty(await (await MemberQueries.ListAsync(a, new MemberFilter())).ToListAsync());

        await using var b = db.ContextB();
        var member = await MemberQueries.GetAsync(b, inB.Member.Id);
        Assert.Equal(("Ann", MemberStatus.Active), (member.FirstName, member.Status));
        Assert.Empty(await b.LedgerEntries.ToListAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task Lookups_find_members_by_id_email_code_and_number(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var ann = (await Enroll(db, "ann@example.com")).Member;
        await using var ctx = db.ContextA();
        Assert.Equal(ann.Id, (await MemberQueries.FindByIdAsync(ctx, ann.Id))!.Id);
        Assert.Equal(ann.Id, (await MemberQueries.FindByEmailAsync(ctx, " ANN@example.com"))!.Id);
        Assert.Equal(ann.Id, (await MemberQueries.FindByCodeAsync(ctx, ann.MemberCode.ToLowerInvariant().Insert(4, "-")))!.Id);
        Assert.Equal(ann.Id, (await MemberQueries.FindByNumberAsync(ctx, 1))!.Id);
        Assert.Null(await MemberQueries.FindByNumberAsync(ctx, 2));
        await Assert.ThrowsAsync<MemberNotFoundException>(() => MemberQueries.GetAsync(ctx, Guid.NewGuid()));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Member_lists_filter_by_status_email_and_tier_and_keep_their_order(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var ann = (await Enroll(db, "ann@shop.com")).Member;
        var bob = (await Enroll(db, "bob@shop.com")).Member;
        var cat = (await Enroll(db, "cat@other.org")).Member;
        Guid silverId;
        await using (var ctx = db.ContextA())
        {
            ctx.Tiers.AddRange(
                new Tier { Id = Guid.NewGuid(), Name = "Bronze", Rank = 0, Threshold = 0 },
                new Tier { Id = silverId = Guid.NewGuid(), Name = "Silver", Rank = 1, Threshold = 100 },
                new Tier { Id = Guid.NewGuid(), Name = "Gold", Rank = 2, Threshold = 1000 });
            await ctx.SaveChangesAsync();
            await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(bob.Id, 150, "welcome"), "k1");
            await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(cat.Id, 5000, "welcome"), "k2");
            await MemberOperations.BlockAsync(ctx, _clock, "t", ann.Id);
        }

        await using var q = db.ContextA();
        async Task<List<long>> Numbers(MemberFilter f) => await (await MemberQueries.ListAsync(q, f)).Select(m => m.MemberNumber).ToListAsync();
        Assert.Equal([1L, 2L, 3L], await Numbers(new MemberFilter()));
        Assert.Equal([3L, 2L, 1L], await Numbers(new MemberFilter(Order: MemberOrder.NumberDescending)));
        Assert.Equal([1L], await Numbers(new MemberFilter(Status: MemberStatus.Blocked)));
        Assert.Equal([1L, 2L], await Numbers(new MemberFilter(EmailContains: "SHOP.com")));
        Assert.Equal([2L], await Numbers(new MemberFilter(TierId: silverId)));
        Assert.Equal([2L], await Numbers(new MemberFilter(Status: MemberStatus.Active, EmailContains: "shop", TierId: silverId)));
        Assert.Equal([1L], await (await MemberQueries.ListAsync(q, new MemberFilter(Order: MemberOrder.EmailAscending))).Select(m => m.MemberNumber).Take(1).ToListAsync());
        var missing = await Assert.ThrowsAsync<TierNotFoundException>(() => MemberQueries.ListAsync(q, new MemberFilter(TierId: Guid.NewGuid())));
        Assert.Equal("TIER_NOT_FOUND", missing.Code);
    }

    [Theory, SqliteData, PostgresData]
    public async Task A_blocked_member_can_neither_earn_nor_spend_until_unblocked(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var ann = (await Enroll(db, "ann@example.com")).Member;
        await using var ctx = db.ContextA();
        await PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(ann.Id, 100, "seed"), "seed");
        var pending = await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(ann.Id, LedgerEntryKind.Earn, 40, Pending: true));

        var blocked = await MemberOperations.BlockAsync(ctx, _clock, "t", ann.Id);
        Assert.Equal(MemberStatus.Blocked, blocked.Member.Status);

        var earn = await Assert.ThrowsAsync<MemberBlockedException>(() => PointsOperations.AdjustAsync(ctx, _clock, "t", new AdjustPointsInput(ann.Id, 10, "r"), "k1"));
        Assert.Equal("MEMBER_BLOCKED", earn.Code);
        await Assert.ThrowsAsync<MemberBlockedException>(() => PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(ann.Id, LedgerEntryKind.Redeem, -10)));
        await Assert.ThrowsAsync<MemberBlockedException>(() => PointsOperations.ApprovePendingAsync(ctx, _clock, "t", pending.Entry.Id));
        Assert.Equal(100, (await MemberQueries.BalanceAsync(ctx, ann.Id))!.Approved);

        await MemberOperations.UnblockAsync(ctx, _clock, "t", ann.Id);
        var spent = await PointsOperations.PostAsync(ctx, _clock, "t", new PostPointsInput(ann.Id, LedgerEntryKind.Redeem, -10));
        Assert.Equal((90L, 10L), (spent.Balance.Approved, spent.Balance.Spent));
    }

    [Theory, SqliteData, PostgresData]
    public async Task Enrolling_keeps_store_ids_and_refuses_an_id_another_member_has(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var ctx = db.ContextA();
        var ann = await MemberOperations.EnrollAsync(ctx, _clock, "t", new EnrollMemberInput("ann@example.com", ExternalIds: [new("shop", "42")]));

        var taken = await Assert.ThrowsAsync<ExternalIdTakenException>(() => MemberOperations.EnrollAsync(db.ContextA(), _clock, "t",
            new EnrollMemberInput("bob@example.com", ExternalIds: [new("shop", "42")])));
        Assert.Equal(("EXTERNAL_ID_TAKEN", "externalIds"), (taken.Code, taken.Field));

        // Another program's store ids are its own.
        await MemberOperations.EnrollAsync(db.Context(db.ProgramB), _clock, "t", new EnrollMemberInput("bob@example.com", ExternalIds: [new("shop", "42")]));

        await using var check = db.ContextA();
        var stored = await check.MemberExternalIds.SingleAsync();
        Assert.Equal((ann.Member.Id, "shop", "42"), (stored.MemberId, stored.Store, stored.ExternalId));
        Assert.Equal(1, await check.Members.CountAsync());
    }
}
