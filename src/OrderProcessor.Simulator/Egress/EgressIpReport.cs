namespace OrderProcessor.Simulator.Egress;

/// <summary>What the simulator saw from one calling IP (IBKR-side requests only).</summary>
/// <param name="Ip">The IP, as <see cref="PiTrade.ClientIp"/> reads it (every loopback caller is 127.0.0.1).</param>
/// <param name="Requests">Requests that arrived, refused or not.</param>
/// <param name="MaxPerSecond">The most requests that arrived within any 1 s.</param>
/// <param name="TooManyRequests">429s answered to the IP, for any reason.</param>
/// <param name="PenaltyBoxes">Times the IP was put in the penalty box.</param>
/// <param name="RefusedInPenaltyBox">Requests refused because the IP sat in the penalty box.</param>
/// <param name="PenaltyBoxLeft">How long the IP still sits in the penalty box.</param>
public sealed record EgressIpReport(
    string Ip,
    long Requests,
    int MaxPerSecond,
    long TooManyRequests,
    int PenaltyBoxes,
    long RefusedInPenaltyBox,
    TimeSpan PenaltyBoxLeft);
