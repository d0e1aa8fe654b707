using HeadlessLoyalty.Api;
using HeadlessLoyalty.Api.Cli;

var builder = WebApplication.CreateBuilder(args);
builder.AddLoyaltyApplication(args);

var app = builder.Build();
if (CliExtensions.IsCliInvocation(args))
    return await app.RunCliAsync(args);

app.UseLoyaltyApplication();

await app.RunAsync();
return 0;

/// <summary>Exposed for WebApplicationFactory in tests.</summary>
public partial class Program;
