using HeadlessLoyalty.Api.Common;

namespace HeadlessLoyalty.Api.Jobs;

public sealed class JobNotFoundException(string name) : LoyaltyException(ErrorCodes.JobNotFound, $"No job named '{name}'; the jobs query lists them.", "name");
