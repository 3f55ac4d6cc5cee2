namespace OrderProcessor.Simulator.Control;

/// <summary>Body of <c>PUT /__sim/users/{userId}</c>.</summary>
public sealed record UserAccountsRequest(IReadOnlyList<string>? Accounts);

/// <summary>Body of <c>PUT /__sim/questions</c>.</summary>
public sealed record ExtraQuestionsRequest(IReadOnlyList<ExtraQuestionItem>? ExtraQuestions, string? ForUserId);

/// <summary>One extra question of <see cref="ExtraQuestionsRequest"/>.</summary>
public sealed record ExtraQuestionItem(string? Id, string? Text);

/// <summary>Body of <c>PUT /__sim/market/{conid}</c>: the price, and optionally the quote around it (both or neither).</summary>
public sealed record PinPriceRequest(decimal? Price, decimal? Bid = null, decimal? Ask = null);

/// <summary>Body of <c>POST /__sim/clock/advance</c>: a duration such as "25:00:00" or "1.01:00:00".</summary>
public sealed record ClockAdvanceRequest(string? By);

/// <summary>Body of the order fate endpoints: what to fill (fill only), and whether to wait until the user has no session.</summary>
public sealed record OrderFateRequest(decimal? Quantity = null, decimal? Price = null, bool WhenNoSession = false);

/// <summary>Body of <c>POST /__sim/egress/{ip}/penalty-box</c>: how long the IP gets nothing but 429.</summary>
public sealed record PenaltyBoxRequest(double Seconds);

/// <summary>Body of <c>PUT /__sim/maintenance</c>: how long (simulator clock) IBKR's back-end is in maintenance, and for whom (null: everyone).</summary>
public sealed record MaintenanceRequest(double? Seconds, IReadOnlyList<string>? Users = null);
