namespace OrderProcessor.Simulator.Orders;

/// <summary>How the simulator answers a request of several tickets (a bracket or an OCA group).</summary>
public enum GroupAnswerMode
{
    /// <summary>All tickets share one fate: accepted together, refused together, one question for the request.</summary>
    Whole,

    /// <summary>One ticket is refused with an <c>{"error"}</c> entry at its position while the others are accepted.</summary>
    RefuseTicket,

    /// <summary>One ticket raises a question of its own at its position while the others are accepted at once.</summary>
    AskTicket,
}
