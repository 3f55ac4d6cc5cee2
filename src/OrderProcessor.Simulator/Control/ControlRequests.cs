namespace OrderProcessor.Simulator.Control;

/// <summary>Body of <c>PUT /__sim/users/{userId}</c>.</summary>
public sealed record UserAccountsRequest(IReadOnlyList<string>? Accounts);

/// <summary>Body of <c>PUT /__sim/questions</c>.</summary>
public sealed record ExtraQuestionsRequest(IReadOnlyList<ExtraQuestionItem>? ExtraQuestions, string? ForUserId);

/// <summary>One extra question of <see cref="ExtraQuestionsRequest"/>.</summary>
public sealed record ExtraQuestionItem(string? Id, string? Text);

/// <summary>Body of <c>PUT /__sim/market/{conid}</c>.</summary>
public sealed record PinPriceRequest(decimal? Price);
