namespace OrderProcessor.Simulator.Rules;

/// <summary>When IBKR compares a ticket's cOID with those it has already registered.</summary>
public enum DuplicateCheckPoint
{
    /// <summary>On arrival, before the margin check and the questions.</summary>
    BeforeChecks,

    /// <summary>Only at acceptance, after the margin check and the questions: a resend can be refused for another reason first.</summary>
    AfterChecks,

    /// <summary>On arrival and again at acceptance.</summary>
    Both,
}
