using System.ComponentModel.DataAnnotations;
using OrderProcessor.Configuration;

namespace OrderProcessor.UnitTests.Configuration;

public sealed class When_the_connection_string_is_validated
{
    private static List<string> Problems(string connectionString)
    {
        var options = new DatabaseOptions { ConnectionString = connectionString };
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
        return problems.Select(p => p.ErrorMessage ?? "").ToList();
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=54329;Username=u;Password=p;Database=d")]
    [InlineData("Host=pg-1:5432,pg-2:5432;Target Session Attributes=primary;Host Recheck Seconds=1;Username=u;Password=p;Database=d")]
    [InlineData("Host=pg-1,pg-2;Target Session Attributes=read-write;Username=u;Password=p;Database=d")]
    public void Should_accept_one_host_or_several_that_ask_for_the_primary(string connectionString)
    {
        Assert.Empty(Problems(connectionString));
    }

    [Fact]
    public void Should_refuse_several_hosts_without_asking_for_the_primary_naming_the_setting()
    {
        var problem = Assert.Single(Problems("Host=pg-1:5432,pg-2:5432;Username=u;Password=p;Database=d"));

        Assert.Contains("ConnectionStrings:OrderProcessor lists 2 hosts", problem, StringComparison.Ordinal);
        Assert.Contains("Target Session Attributes=primary", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_string_that_is_not_a_connection_string()
    {
        Assert.Contains("not a valid PostgreSQL connection string", Assert.Single(Problems("Hots=x;;Nonsense Key=1")), StringComparison.Ordinal);
    }
}
