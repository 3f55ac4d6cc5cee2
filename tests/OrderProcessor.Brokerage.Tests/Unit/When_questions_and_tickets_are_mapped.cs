using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_questions_and_tickets_are_mapped
{
    [Theory]
    [InlineData(new[] { "o10151" }, true)]
    [InlineData(new[] { "o10151", "o354" }, true)]
    [InlineData(new[] { "o10151", "o163" }, false)]
    [InlineData(new[] { "o9999" }, false)]
    [InlineData(new string[0], false)]
    public void Should_confirm_only_when_every_id_is_allow_listed(string[] ids, bool confirmed)
    {
        var policy = new QuestionPolicy(new StaticOptionsMonitor(new BrokerageOptions()));

        Assert.Equal(confirmed, policy.MayConfirm(ids));
    }

    [Fact]
    public void Should_send_ibkrs_exact_values()
    {
        var ticket = new OrderTicket
        {
            ClientOrderId = "c-1",
            Conid = 8314,
            Side = BrokerOrderSide.Sell,
            OrderType = BrokerOrderType.TrailLimit,
            Quantity = 3,
            Price = 101.5m,
            AuxPrice = 100m,
            TrailingAmount = 1.5m,
            TrailingType = BrokerTrailingType.Percent,
            TimeInForce = BrokerTimeInForce.Gtc,
            ParentClientOrderId = "p-1",
            IsSingleGroup = true,
            OutsideRegularTradingHours = true,
        };

        var ibkr = OrderTicketMapper.ToIbkr(ticket, "DU1234567");

        Assert.Equal(("DU1234567", 8314, "c-1", "p-1"), (ibkr.AcctId, ibkr.Conid, ibkr.COID, ibkr.ParentId));
        Assert.Equal(("TRAILLMT", "SELL", "GTC", "%"), (ibkr.OrderType, ibkr.Side, ibkr.Tif, ibkr.TrailingType));
        Assert.Equal((101.5m, 100m, 1.5m, 3m), (ibkr.Price, ibkr.AuxPrice, ibkr.TrailingAmt, ibkr.Quantity));
        Assert.True(ibkr.IsSingleGroup);
        Assert.True(ibkr.OutsideRth);
    }

    [Theory]
    [InlineData(BrokerOrderType.Market, "MKT")]
    [InlineData(BrokerOrderType.Limit, "LMT")]
    [InlineData(BrokerOrderType.Stop, "STP")]
    [InlineData(BrokerOrderType.StopLimit, "STOP_LIMIT")]
    [InlineData(BrokerOrderType.Trail, "TRAIL")]
    [InlineData(BrokerOrderType.MidPrice, "MIDPRICE")]
    public void Should_name_order_types_as_ibkr_does(BrokerOrderType type, string expected)
    {
        var ticket = new OrderTicket { ClientOrderId = "c", Conid = 1, Side = BrokerOrderSide.Buy, OrderType = type, Quantity = 1 };

        var ibkr = OrderTicketMapper.ToIbkr(ticket, "DU1");

        Assert.Equal(expected, ibkr.OrderType);
        Assert.Null(ibkr.IsSingleGroup);
        Assert.Equal("DAY", ibkr.Tif);
    }
}
