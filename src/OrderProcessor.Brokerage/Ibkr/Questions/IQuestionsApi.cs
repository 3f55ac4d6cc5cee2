using Refit;

namespace OrderProcessor.Brokerage.Ibkr.Questions;

/// <summary>Order reply-message suppression for the current brokerage session.</summary>
public interface IQuestionsApi
{
    [Post("/iserver/questions/suppress")]
    Task<IApiResponse<QuestionSuppressionAnswer>> SuppressAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        [Body] SuppressQuestionsRequest request,
        CancellationToken cancellationToken);

    [Post("/iserver/questions/suppress/reset")]
    Task<IApiResponse<QuestionSuppressionAnswer>> ResetAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        CancellationToken cancellationToken);
}
