using Microsoft.Extensions.Options;

namespace OrderProcessor.Simulator.Configuration;

/// <summary>The <see cref="IbkrBehaviour"/> in force: the configured one until the control API changes it.</summary>
public sealed class BehaviourSettings(IOptions<SimulatorOptions> options)
{
    private volatile IbkrBehaviour _current = IbkrBehaviour.From(options.Value);

    public IbkrBehaviour Current => _current;

    public void Set(IbkrBehaviour behaviour)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        var problem = behaviour.Problem();
        if (problem is not null)
            throw new ArgumentException(problem, nameof(behaviour));
        _current = behaviour;
    }

    /// <summary>Back to the configuration.</summary>
    public void Reset() => _current = IbkrBehaviour.From(options.Value);
}
