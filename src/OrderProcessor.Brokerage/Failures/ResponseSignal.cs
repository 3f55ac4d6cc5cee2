namespace OrderProcessor.Brokerage.Failures;

/// <summary>What an IBKR answer means for the guard before any business interpretation.</summary>
internal enum ResponseSignal
{
    Ok,

    /// <summary>401, "no bridge", "Init session first", "not authenticated" (also in a 200's <c>{"error"}</c>): the token or the brokerage session is gone.</summary>
    SessionLost,

    /// <summary>"Please query /accounts first": the session's accounts warm-up is missing.</summary>
    AccountsNotQueried,

    /// <summary>429.</summary>
    Paced,

    /// <summary>5xx (other than the accounts warm-up), or a 2xx whose body could not be read.</summary>
    ServerError,

    /// <summary>Any other 4xx: IBKR refused the request.</summary>
    ClientError,

    /// <summary>A 2xx carrying <c>{"error": ...}</c> where an error has no business meaning (accounts, live orders, set-up): the answer is unusable.</summary>
    ErrorAnswer,
}
