using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using OrderProcessor.Configuration;

namespace OrderProcessor.UnitTests.Configuration;

public sealed class When_rabbitmq_settings_are_validated
{
    private static RabbitMqOptions Bind(params (string Key, string Value)[] settings)
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
    public void Should_default_to_quorum_queues_on_the_single_host()
    {
        var options = Bind();

        Assert.Empty(Problems(options));
        Assert.Equal(RabbitMqQueueType.Quorum, options.QueueType);
        Assert.Equal([("127.0.0.1", 5673)], options.Endpoints());
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
        Assert.Empty(Problems(Bind(("Nodes", ""))));
        Assert.Equal([("127.0.0.1", 5673)], Bind(("Nodes", " ")).Endpoints());
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
        var problem = Assert.Single(Problems(new RabbitMqOptions { QueueType = (RabbitMqQueueType)7 }));
        Assert.Contains("RabbitMq:QueueType must be quorum or classic", problem, StringComparison.Ordinal);
    }
}
