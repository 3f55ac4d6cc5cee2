using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;

namespace OrderProcessor.Brokerage.Gateway;

/// <summary>A question is confirmed only when every one of its message ids is on the configured allow-list.</summary>
internal sealed class QuestionPolicy
{
    private readonly IOptionsMonitor<BrokerageOptions> _options;

    public QuestionPolicy(IOptionsMonitor<BrokerageOptions> options)
    {
        _options = options;
    }

    public bool MayConfirm(IReadOnlyList<string>? messageIds)
    {
        if (messageIds is null || messageIds.Count == 0)
        {
            // A question without ids cannot be judged: never confirm blindly.
            return false;
        }

        var allowed = _options.CurrentValue.Questions.EffectiveAllowedIds;
        return messageIds.All(id => allowed.Contains(id, StringComparer.Ordinal));
    }
}
