namespace OrderProcessor.Risk;

/// <summary>One token bucket an order spends from: an account's or a user's orders per second or per minute.</summary>
public sealed record RateBucket(string Scope, string ScopeKey, RatePeriod Period, int Capacity)
{
    public string PeriodName => Period == RatePeriod.Second ? "second" : "minute";

    public string Describe() => $"{Scope} {ScopeKey} sent more than {Capacity} orders in {(Period == RatePeriod.Second ? "1 s" : "1 min")}";
}

/// <summary>The period a bucket refills over: its capacity per second or per minute.</summary>
public enum RatePeriod
{
    Second,
    Minute,
}
