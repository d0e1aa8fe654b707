using Xunit.Abstractions;
using Xunit.Sdk;

namespace HeadlessLoyalty.Api.Tests.Infrastructure;

/// <summary>
/// A [Fact] of a database suite: skipped when its class runs on PostgreSQL (IClassFixture&lt;PostgresFixture&gt;)
/// and no server is configured, unless HL_REQUIRE_POSTGRES=1 makes the missing server a failure.
/// </summary>
[XunitTestCaseDiscoverer("HeadlessLoyalty.Api.Tests.Infrastructure.DbFactDiscoverer", "HeadlessLoyalty.Api.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class DbFactAttribute : FactAttribute;

/// <summary>The [Theory] counterpart of <see cref="DbFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("HeadlessLoyalty.Api.Tests.Infrastructure.DbTheoryDiscoverer", "HeadlessLoyalty.Api.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class DbTheoryAttribute : TheoryAttribute;

/// <summary>Marks a test class that starts its own PostgreSQL-backed factory (no fixture): skipped like the fixture suites.</summary>
public interface IOnPostgres;

internal static class DbSkip
{
    public static string? ReasonFor(ITestMethod method)
    {
        var type = method.TestClass.Class.ToRuntimeType();
        var onPostgres = type.GetInterfaces().Any(i => i == typeof(IClassFixture<PostgresFixture>) || i == typeof(IOnPostgres));
        return onPostgres && TestDatabase.PostgresServer is null && !TestDatabase.PostgresRequired
            ? $"PostgreSQL suite skipped: set {TestDatabase.PostgresVariable} (and {TestDatabase.RequirePostgresVariable}=1 to make this a failure)."
            : null;
    }
}

public sealed class DbFactDiscoverer(IMessageSink diagnostics) : FactDiscoverer(diagnostics)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new DbTestCase(DiagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod);
}

public sealed class DbTheoryDiscoverer(IMessageSink diagnostics) : TheoryDiscoverer(diagnostics)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(ITestFrameworkDiscoveryOptions options, ITestMethod testMethod,
        IAttributeInfo theoryAttribute, object[] dataRow) =>
        [new DbTestCase(DiagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, dataRow)];

    protected override IEnumerable<IXunitTestCase> CreateTestCasesForTheory(ITestFrameworkDiscoveryOptions options, ITestMethod testMethod,
        IAttributeInfo theoryAttribute) =>
        [new DbTheoryTestCase(DiagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod)];
}

public sealed class DbTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public DbTestCase() { }

    public DbTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method, object[]? arguments = null)
        : base(sink, display, displayOptions, method, arguments) { }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) => base.GetSkipReason(factAttribute) ?? DbSkip.ReasonFor(TestMethod);
}

public sealed class DbTheoryTestCase : XunitTheoryTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public DbTheoryTestCase() { }

    public DbTheoryTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod method)
        : base(sink, display, displayOptions, method) { }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) => base.GetSkipReason(factAttribute) ?? DbSkip.ReasonFor(TestMethod);
}
