using HeadlessLoyalty.Api.Common;
using HeadlessLoyalty.Api.Data;
using HeadlessLoyalty.Api.Events;
using HeadlessLoyalty.Api.Idempotency;
using HeadlessLoyalty.Api.Points;
using HeadlessLoyalty.Api.Referrals;
using Microsoft.EntityFrameworkCore;

namespace HeadlessLoyalty.Api.Members;

/// <summary>
/// Member writes. Each call is one transaction in the DbContext's program scope (the tenant filter hides other
/// programs, so their members are "not found"). Refusals throw a <see cref="LoyaltyException"/>.
/// </summary>
public static class MemberOperations
{
    public const string EnrollOperation = "enrollMember";

    /// <summary>
    /// Validates and enrolls a member with a zero balance. Email is unique per program case-insensitively
    /// (EMAIL_TAKEN). The member number is max + 1 in the program and the code random: a concurrent enrollment
    /// that takes the same number/code hits the unique index and this attempt retries with fresh values. The member
    /// gets a referral code; with <see cref="EnrollMemberInput.ReferralCode"/> they are that member's referred friend
    /// (REFERRAL_CODE_NOT_FOUND, SELF_REFERRAL refuse the enrollment).
    /// </summary>
    public static async Task<EnrollMemberPayload> EnrollAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, EnrollMemberInput input, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var (email, normalized) = MemberRules.Email(input.Email);
        var firstName = MemberRules.Name(input.FirstName, "firstName");
        var lastName = MemberRules.Name(input.LastName, "lastName");
        var phone = MemberRules.Phone(input.Phone);
        var (month, day, year) = MemberRules.Birthday(input.BirthdayMonth, input.BirthdayDay, input.BirthdayYear, DateOnly.FromDateTime(now.UtcDateTime));
        var externalIds = MemberRules.ExternalIds(input.ExternalIds);

        return await Idempotent.RunAsync(db, clock, EnrollOperation, idempotencyKey, keyRequired: false, input, async token =>
        {
            if (await db.Members.AnyAsync(m => m.NormalizedEmail == normalized, token))
                throw new EmailTakenException(email);
            var number = (await db.Members.MaxAsync(m => (long?)m.MemberNumber, token) ?? 0) + 1;
            string code;
            do code = MemberRules.NewMemberCode();
            while (await db.Members.AnyAsync(m => m.MemberCode == code, token));

            var member = new Member
            {
                Id = Guid.CreateVersion7(now),
                Email = email,
                NormalizedEmail = normalized,
                FirstName = firstName,
                LastName = lastName,
                Phone = phone,
                BirthdayMonth = month,
                BirthdayDay = day,
                BirthdayYear = year,
                MemberCode = code,
                MemberNumber = number,
                EnrolledAt = now,
                UpdatedAt = now,
            };
            foreach (var (store, externalId) in externalIds)
            {
                if (await db.MemberExternalIds.AnyAsync(x => x.Store == store && x.ExternalId == externalId, token))
                    throw new ExternalIdTakenException(store, externalId);
                member.ExternalIds.Add(new MemberExternalId { Id = Guid.CreateVersion7(now), MemberId = member.Id, Store = store, ExternalId = externalId });
            }
            await ReferralOperations.StageEnrollmentAsync(db, member, input.ReferralCode, now, token);
            var balance = new PointsBalance { MemberId = member.Id, LastUpdatedAt = now };
            db.Members.Add(member);
            db.Balances.Add(balance);
            DomainEvents.Stage(db, EventTypes.MemberEnrolled, member.Id, EventPayloadOf(member), now, now);
            return new EnrollMemberPayload(MemberView.Of(member), BalanceView.Of(balance));
        }, ct);
    }

    public const string UpdateOperation = "updateMember";

    /// <summary>A partial update (see <see cref="UpdateMemberInput"/>); with a key, a retry replays the first payload.</summary>
    public static async Task<MemberPayload> UpdateAsync(
        LoyaltyDbContext db, TimeProvider clock, string actor, UpdateMemberInput input, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var email = input.Email is null ? default((string, string)?) : MemberRules.Email(input.Email);
        var firstName = input.FirstName is null ? null : MemberRules.Name(input.FirstName, "firstName");
        var lastName = input.LastName is null ? null : MemberRules.Name(input.LastName, "lastName");
        var phone = input.Phone is null ? null : MemberRules.Phone(input.Phone);
        var setBirthday = input.BirthdayMonth is not null || input.BirthdayDay is not null || input.BirthdayYear is not null;
        if (setBirthday && input.ClearBirthday)
            throw new InvalidInputException("clearBirthday", "Either set a birthday or clear it, not both.");
        var birthday = setBirthday
            ? MemberRules.Birthday(input.BirthdayMonth, input.BirthdayDay, input.BirthdayYear, DateOnly.FromDateTime(now.UtcDateTime))
            : default;

        return await Idempotent.RunAsync(db, clock, UpdateOperation, idempotencyKey, keyRequired: false, input, async token =>
        {
            var member = await MemberQueries.GetAsync(db, input.MemberId, token);
            var before = EventPayloadOf(member) with { };
            var birthdayBefore = (member.BirthdayMonth, member.BirthdayDay, member.BirthdayYear, member.Phone);
            if (email is var (address, normalized))
            {
                if (normalized != member.NormalizedEmail
                    && await db.Members.AnyAsync(m => m.NormalizedEmail == normalized && m.Id != member.Id, token))
                    throw new EmailTakenException(address);
                member.Email = address;
                member.NormalizedEmail = normalized;
            }
            if (input.FirstName is not null) member.FirstName = firstName;
            if (input.LastName is not null) member.LastName = lastName;
            if (input.Phone is not null) member.Phone = phone;
            if (setBirthday || input.ClearBirthday)
                (member.BirthdayMonth, member.BirthdayDay, member.BirthdayYear) = birthday;
            member.UpdatedAt = now;
            member.Version++;
            // An update that changes nothing (a resent form) is not an event.
            if (EventPayloadOf(member) != before || (member.BirthdayMonth, member.BirthdayDay, member.BirthdayYear, member.Phone) != birthdayBefore)
                DomainEvents.Stage(db, EventTypes.MemberUpdated, member.Id, EventPayloadOf(member), now, now);
            return new MemberPayload(MemberView.Of(member));
        }, ct);
    }

    private static MemberEventPayload EventPayloadOf(Member m) =>
        new(m.Id, m.Email, m.FirstName, m.LastName, m.MemberCode, m.Status.ToString());

    /// <summary>A blocked member keeps their points but cannot earn or spend (MEMBER_BLOCKED) until unblocked.</summary>
    public static Task<MemberPayload> BlockAsync(LoyaltyDbContext db, TimeProvider clock, string actor, Guid memberId, CancellationToken ct = default) =>
        SetStatusAsync(db, clock, memberId, MemberStatus.Blocked, ct);

    public static Task<MemberPayload> UnblockAsync(LoyaltyDbContext db, TimeProvider clock, string actor, Guid memberId, CancellationToken ct = default) =>
        SetStatusAsync(db, clock, memberId, MemberStatus.Active, ct);

    private static Task<MemberPayload> SetStatusAsync(LoyaltyDbContext db, TimeProvider clock, Guid memberId, MemberStatus status, CancellationToken ct) =>
        WriteTransaction.RunAsync(db, async token =>
        {
            var member = await MemberQueries.GetAsync(db, memberId, token);
            if (member.Status != status)
            {
                var now = clock.GetUtcNow();
                member.Status = status;
                member.UpdatedAt = now;
                member.Version++;
                if (status == MemberStatus.Blocked)
                    DomainEvents.Stage(db, EventTypes.MemberBlocked, member.Id, EventPayloadOf(member), now, now);
            }
            return new MemberPayload(MemberView.Of(member));
        }, ct);
}
