using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Configuration;

namespace OrderProcessor.Simulator.Users;

/// <summary>Which users exist and which accounts each may trade.</summary>
public sealed class UserDirectory
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _registered = new(StringComparer.Ordinal);
    private readonly SimulatorOptions _options;

    public UserDirectory(IOptions<SimulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        Reset();
    }

    /// <summary>The paper account an auto-provisioned user gets: "DU" and 7 digits from FNV-1a of the user id.</summary>
    public static string DefaultAccountFor(string userId) =>
        "DU" + (Fnv1a.Hash(userId) % 10_000_000u).ToString("D7", CultureInfo.InvariantCulture);

    public IReadOnlyList<string>? AccountsOf(string userId)
    {
        if (_registered.TryGetValue(userId, out var accounts))
            return accounts;
        // Not stored: an auto-provisioned user's account follows from its id, so that a day of many distinct users
        // costs the simulator nothing.
        return _options.AutoProvisionUsers ? [DefaultAccountFor(userId)] : null;
    }

    public void Register(string userId, IReadOnlyList<string> accounts) => _registered[userId] = [.. accounts];

    public void Reset()
    {
        _registered.Clear();
        foreach (var (userId, accounts) in _options.Users)
            _registered[userId] = [.. accounts];
    }
}
