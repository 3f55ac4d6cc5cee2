using System.CommandLine;
using OrderProcessor.Cli.Commands;
using OrderProcessor.Contracts;

namespace OrderProcessor.IntegrationTests.Cli;

/// <summary>
/// The ticket options of <c>orders place</c> and <c>orders margin</c> (issue 16) become the command's fields as given:
/// nothing is checked here but the form of --algo-param (the processor validates), and nothing given is nothing sent.
/// No services needed.
/// </summary>
public sealed class When_the_ticket_options_are_read
{
    private static (ParseResult Parse, TicketOptions Options) Read(params string[] args)
    {
        var options = new TicketOptions();
        var command = new RootCommand();
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        return (command.Parse(args), options);
    }

    [Fact]
    public void Should_fill_every_field_of_a_place_order()
    {
        var (parse, options) = Read("--cash-quantity", "500.25", "--sec-type", "fut", "--exchange", "CME", "--conidex", "495512551@CME",
            "--algo", "Adaptive", "--algo-param", "adaptivePriority=Urgent", "--algo-param", "note=a=b", "--use-adaptive", "--all-or-none",
            "--manual-indicator", "false", "--currency-conversion");

        var order = options.AppliedTo(new PlaceOrder(), parse);

        Assert.Empty(parse.Errors);
        Assert.Equal((500.25m, SecurityType.Future, "CME", "495512551@CME"), (order.CashQuantity, order.SecurityType, order.ListingExchange, order.Conidex));
        Assert.Equal("Adaptive", order.Algo?.Strategy);
        Assert.Equal(new Dictionary<string, string> { ["adaptivePriority"] = "Urgent", ["note"] = "a=b" }, order.Algo?.Parameters);
        Assert.Equal((true, true, (bool?)false, true), (order.UseAdaptive, order.AllOrNone, order.ManualIndicator, order.CurrencyConversion));
    }

    [Fact]
    public void Should_send_nothing_that_was_not_given()
    {
        var (parse, options) = Read();

        var check = options.AppliedTo(new MarginCheck(), parse);

        Assert.Equal(new MarginCheck(), check);
    }

    [Fact]
    public void Should_refuse_an_algo_parameter_that_is_not_name_equals_value()
    {
        var (parse, _) = Read("--algo", "Adaptive", "--algo-param", "adaptivePriority");

        Assert.Equal(["--algo-param: 'adaptivePriority' is not name=value."], parse.Errors.Select(e => e.Message));
    }
}
