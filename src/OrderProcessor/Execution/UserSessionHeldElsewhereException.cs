namespace OrderProcessor.Execution;

/// <summary>Another live instance holds the user's IBKR session; the command is retried until it can run here or there.</summary>
public sealed class UserSessionHeldElsewhereException : Exception
{
    public UserSessionHeldElsewhereException()
    {
    }

    public UserSessionHeldElsewhereException(string userId)
        : base($"another processor instance holds the IBKR session of user {userId}")
    {
    }

    public UserSessionHeldElsewhereException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
