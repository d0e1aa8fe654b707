using GraphQL.Types;
using HeadlessLoyalty.Api.Cli;
using HeadlessLoyalty.Api.GraphQL;
using HeadlessLoyalty.Api.Tests.Infrastructure;
using HeadlessLoyalty.GraphQL.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace HeadlessLoyalty.Api.Tests.Schema;

/// <summary>The committed contract (schema/schema.graphql) is the running schema, fully described and fully authorized.</summary>
public sealed class SchemaContractTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private const string ExportCommand = "dotnet run --project src/HeadlessLoyalty.Api -- schema export --output schema/schema.graphql";

    private LoyaltySchema RunningSchema()
    {
        var schema = fixture.Factory.Services.GetRequiredService<LoyaltySchema>();
        schema.Initialize();
        return schema;
    }

    internal static string RepositoryFile(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HeadlessLoyalty.sln")))
            dir = dir.Parent;
        return Path.Combine([dir?.FullName ?? throw new InvalidOperationException("Repository root not found."), .. parts]);
    }

    [Fact]
    public async Task The_committed_schema_file_is_the_running_schema()
    {
        var committed = (await File.ReadAllTextAsync(RepositoryFile("schema", "schema.graphql"))).ReplaceLineEndings("\n");
        var running = SchemaExportVerb.Print(RunningSchema());

        Assert.True(committed == running,
            $"schema/schema.graphql differs from the running schema. If the change is intended, run `{ExportCommand}` and commit the file.\n"
            + $"First difference at character {FirstDifference(committed, running)}.");
    }

    [Fact]
    public async Task The_export_verb_refuses_an_output_in_a_folder_that_does_not_exist_with_a_hint_and_exit_code_2()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "schema.graphql");
        var error = new StringWriter();

        var exit = await CliExtensions.RunCliAsync(fixture.Factory.Services, ["schema", "export", "--output", path], new StringWriter(), error);

        Assert.Equal(2, exit);
        Assert.Contains("redirect stdout", error.ToString());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task The_export_verb_writes_the_running_schema_to_a_file_without_touching_a_database()
    {
        var path = Path.Combine(Path.GetTempPath(), $"schema-{Guid.NewGuid():N}.graphql");
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var exit = await CliExtensions.RunCliAsync(fixture.Factory.Services, ["schema", "export", "--output", path], output, error);

            Assert.Equal(0, exit);
            Assert.Equal(SchemaExportVerb.Print(RunningSchema()), await File.ReadAllTextAsync(path));
            Assert.Contains("Schema written to", error.ToString());

            var stdout = new StringWriter();
            Assert.Equal(0, await CliExtensions.RunCliAsync(fixture.Factory.Services, ["schema", "export"], stdout, error));
            Assert.Equal(await File.ReadAllTextAsync(path), stdout.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_root_field_declares_who_may_call_it()
    {
        Assert.Empty(AuthorizationAudit.FindUndeclaredRootFields(RunningSchema()));
    }

    [Fact]
    public void Every_type_field_argument_input_field_and_enum_value_has_a_description()
    {
        var missing = new List<string>();
        // Introspection types and the specification's own scalars are described by the specification.
        string[] specified = ["String", "Boolean", "ID", "Int", "Float"];
        foreach (var type in RunningSchema().AllTypes.Where(t => !t.Name.StartsWith("__", StringComparison.Ordinal) && !specified.Contains(t.Name)))
        {
            if (string.IsNullOrWhiteSpace(type.Description))
                missing.Add(type.Name);
            if (type is IComplexGraphType complex)
            {
                foreach (var field in complex.Fields)
                {
                    if (string.IsNullOrWhiteSpace(field.Description))
                        missing.Add($"{type.Name}.{field.Name}");
                    foreach (var argument in field.Arguments ?? [])
                        if (string.IsNullOrWhiteSpace(argument.Description))
                            missing.Add($"{type.Name}.{field.Name}({argument.Name})");
                }
            }
            if (type is EnumerationGraphType enumeration)
                missing.AddRange(enumeration.Values.Where(v => string.IsNullOrWhiteSpace(v.Description)).Select(v => $"{type.Name}.{v.Name}"));
        }

        Assert.True(missing.Count == 0, "Undescribed: " + string.Join(", ", missing));
    }

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
            i++;
        return i;
    }
}
