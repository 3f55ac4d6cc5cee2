namespace OrderProcessor.Simulator.Orders;

/// <summary>IBKR's order status values that the simulator produces.</summary>
public static class OrderStatuses
{
    public const string PreSubmitted = "PreSubmitted";
    public const string Submitted = "Submitted";
    public const string Filled = "Filled";
    public const string PendingCancel = "PendingCancel";
    public const string Cancelled = "Cancelled";
    public const string Inactive = "Inactive";

    public static bool IsTerminal(string status) => status is Filled or Cancelled or Inactive;
}
