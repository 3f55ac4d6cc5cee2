using OrderProcessor.Simulator.PiTrade;
using OrderProcessor.Simulator.Sessions;

namespace OrderProcessor.Simulator.Gateway;

/// <summary>Who is calling the IBKR part: the bearer token's user and that user's state.</summary>
public sealed record Caller(BearerToken Token, UserState User)
{
    private const string ItemKey = "sim.caller";
    private const string UserIdKey = "sim.userId";

    public string UserId => Token.UserId;

    public static Caller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ItemKey] as Caller ?? throw new InvalidOperationException("No authenticated caller on this request.");
    }

    public static void Attach(HttpContext context, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[ItemKey] = caller;
        SetUserId(context, caller?.UserId);
    }

    /// <summary>The user a request is about (also for PiTrade calls, from their body), for logs and fault matching.</summary>
    public static string? UserIdOf(HttpContext context) => context?.Items[UserIdKey] as string;

    public static void SetUserId(HttpContext context, string? userId)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[UserIdKey] = userId;
    }
}
