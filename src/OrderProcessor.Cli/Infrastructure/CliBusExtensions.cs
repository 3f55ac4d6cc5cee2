using MassTransit;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>What a command needs of <see cref="CliBus"/> beyond publishing: sending to an address and making requests.</summary>
public static class CliBusExtensions
{
    /// <summary>The bus behind <see cref="CliBus.Publisher"/> (it is the MassTransit bus itself).</summary>
    public static IBus Bus(this CliBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        return bus.Publisher as IBus ?? throw new InvalidOperationException("the CLI bus does not expose a MassTransit IBus.");
    }
}
