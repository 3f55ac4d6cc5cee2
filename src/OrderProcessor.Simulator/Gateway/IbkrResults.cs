namespace OrderProcessor.Simulator.Gateway;

/// <summary>The error answers IBKR gives, in the envelopes its OpenAPI document names.</summary>
public static class IbkrResults
{
    public const string AccountsFirst = "Please query /accounts first";

    /// <summary>401 with IBKR's ProblemDetail body.</summary>
    public static IResult Unauthorized(string detail) => Results.Json(
        new { type = "/simple", title = "Unauthorized", status = 401, detail },
        statusCode: StatusCodes.Status401Unauthorized,
        contentType: "application/problem+json");

    /// <summary>200 <c>{"error":...}</c>: a business rejection.</summary>
    public static IResult Rejected(string error) => Results.Json(new { error });

    /// <summary>500 <c>{"error":...}</c>: invalid content, or a request IBKR cannot process now.</summary>
    public static IResult ServerError(string error) => Results.Json(new { error }, statusCode: StatusCodes.Status500InternalServerError);

    /// <summary>4xx/5xx with IBKR's <c>{error, statusCode}</c> envelope.</summary>
    public static IResult ErrorWithCode(int statusCode, string error) => Results.Json(new { error, statusCode }, statusCode: statusCode);

    public static IResult InvalidAccount(string accountId) =>
        ErrorWithCode(StatusCodes.Status400BadRequest, $"Bad Request: accountId is not valid: {accountId}");

    public static IResult TooManyRequests() => ErrorWithCode(StatusCodes.Status429TooManyRequests, "Too many requests");
}
