namespace OrderProcessor.Brokerage.Availability;

/// <summary>What the guard's calls tell the availability about IBKR's back-end.</summary>
internal interface IOutageReports
{
    /// <summary>Whether answers are tracked at all (<c>Brokerage:Maintenance:Enabled</c>); when not, the guard behaves as before.</summary>
    bool Tracking { get; }

    /// <summary>An answer that may mean IBKR is down for the user (see <see cref="OutageAnswer"/>).</summary>
    void ReportOutageAnswer(string userId, OutageAnswer answer);

    /// <summary>A usable <c>/iserver</c> answer: IBKR's back-end is there for the user.</summary>
    void ReportHealthy(string userId);
}
