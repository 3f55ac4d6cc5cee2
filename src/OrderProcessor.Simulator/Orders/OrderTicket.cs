namespace OrderProcessor.Simulator.Orders;

/// <summary>One order of an IBKR <c>singleOrderSubmissionRequest</c>, as parsed from the request body.</summary>
public sealed record OrderTicket(
    int Conid,
    string OrderType,
    string Side,
    decimal Quantity,
    string Tif,
    decimal? Price,
    decimal? AuxPrice,
    decimal? TrailingAmt,
    string? TrailingType,
    string? COID,
    string? ParentId,
    bool IsSingleGroup,
    string? AcctId,
    bool OutsideRth);
