using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using OrderProcessor.Configuration;

namespace OrderProcessor.UnitTests.Configuration;

public sealed class When_rabbitmq_settings_are_validated
{
    private static readonly (string Key, string Value)[] Credentials = [("Username", "svc"), ("Password", "secret")];

    private static RabbitMqOptions Bind(params (string Key, string Value)[] settings) => BindOnly([.. Credentials, .. settings]);

    private static RabbitMqOptions BindOnly(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"RabbitMq:{s.Key}", s.Value)))
            .Build();
        var options = new RabbitMqOptions();
        configuration.GetSection(RabbitMqOptions.Section).Bind(options);
        return options;
    }

    private static List<string> Problems(RabbitMqOptions options)
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
        return problems.Select(p => p.ErrorMessage ?? "").ToList();
    }

    [Fact]
    public void Should_default_to_quorum_queues_on_the_single_host_and_amqps_own_port()
    {
        var options = Bind(("Host", "rabbit.internal"));

        Assert.Empty(Problems(options));
        Assert.Equal(RabbitMqQueueType.Quorum, options.QueueType);
        Assert.Equal([("rabbit.internal", 5672)], options.Endpoints());
    }

    [Fact]
    public void Should_have_no_developer_defaults_and_name_every_missing_key_at_once()
    {
        var problems = Problems(BindOnly());

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("RabbitMq:Host is required (environment variable RabbitMq__Host)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("RabbitMq:Username is required (environment variable RabbitMq__Username)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("RabbitMq:Password is required (environment variable RabbitMq__Password)", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_not_need_a_host_when_the_cluster_nodes_are_listed()
    {
        Assert.Empty(Problems(Bind(("Nodes", "rabbit-1:5672,rabbit-2:5672"))));
    }

    [Fact]
    public void Should_connect_to_the_listed_nodes_in_order_instead_of_the_host()
    {
        var options = Bind(("Host", "ignored"), ("Nodes", "rabbit-1:5672, rabbit-2:5673 ,rabbit-3:5674"), ("QueueType", "classic"));

        Assert.Empty(Problems(options));
        Assert.Equal([("rabbit-1", 5672), ("rabbit-2", 5673), ("rabbit-3", 5674)], options.Endpoints());
        Assert.Equal("rabbit-1:5672, rabbit-2:5673, rabbit-3:5674", options.Describe());
        Assert.Equal(RabbitMqQueueType.Classic, options.QueueType);
    }

    [Fact]
    public void Should_treat_empty_nodes_as_unset()
    {
        Assert.Empty(Problems(Bind(("Host", "rabbit.internal"), ("Nodes", ""))));
        Assert.Equal([("rabbit.internal", 5672)], Bind(("Host", "rabbit.internal"), ("Nodes", " ")).Endpoints());
    }

    [Theory]
    [InlineData("rabbit-1")]
    [InlineData("rabbit-1:")]
    [InlineData(":5672")]
    [InlineData("rabbit-1:70000")]
    [InlineData("rabbit-1:5672,rabbit-2:x")]
    public void Should_refuse_a_node_that_is_not_host_and_port_naming_the_setting_and_the_node(string nodes)
    {
        var problem = Assert.Single(Problems(Bind(("Nodes", nodes))));

        Assert.Contains("RabbitMq:Nodes", problem, StringComparison.Ordinal);
        Assert.Contains("host:port", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_list_without_nodes()
    {
        Assert.Contains("RabbitMq:Nodes has no node", Assert.Single(Problems(Bind(("Nodes", ", ,")))), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_an_unknown_queue_type_naming_the_setting()
    {
        var problem = Assert.Single(Problems(new RabbitMqOptions { Host = "h", Username = "u", Password = "p", QueueType = (RabbitMqQueueType)7 }));
        Assert.Contains("RabbitMq:QueueType must be quorum or classic", problem, StringComparison.Ordinal);
    }
}
