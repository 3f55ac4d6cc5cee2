using System.CommandLine;
using System.CommandLine.Parsing;
using OrderProcessor.Contracts;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>
/// An option whose value is one of an enum's wire names (BUY, STOP_LIMIT, GTC, amt...), case-insensitive. The names
/// are listed in --help and offered as completions; anything else, numbers included, is a usage error naming the
/// option and the names it accepts (exit 2), as a number on the trading wire is refused (0 would be a BUY).
/// </summary>
public static class EnumOption
{
    /// <summary>An option that must be given.</summary>
    public static Option<TEnum> Required<TEnum>(string name, string description, params string[] aliases)
        where TEnum : struct, Enum
    {
        var option = new Option<TEnum>(name, aliases) { Required = true, CustomParser = result => Parse<TEnum>(name, result) ?? default };
        Describe<TEnum>(option, description, null);
        return option;
    }

    /// <summary>
    /// An option that falls back to <paramref name="fallback"/>. Without System.CommandLine's default value: its help
    /// would print the C# member (Market), a name the option refuses; the description names the wire name instead.
    /// </summary>
    public static DefaultedEnumOption<TEnum> WithDefault<TEnum>(string name, string description, TEnum fallback, params string[] aliases)
        where TEnum : struct, Enum
    {
        var option = new Option<TEnum?>(name, aliases) { CustomParser = result => Parse<TEnum>(name, result) };
        Describe(option, description, (TEnum?)fallback);
        return new DefaultedEnumOption<TEnum>(option, fallback);
    }

    /// <summary>An option that may be left out (null).</summary>
    public static Option<TEnum?> Optional<TEnum>(string name, string description, params string[] aliases)
        where TEnum : struct, Enum
    {
        var option = new Option<TEnum?>(name, aliases) { CustomParser = result => Parse<TEnum>(name, result) };
        Describe<TEnum>(option, description, null);
        return option;
    }

    /// <summary>The names the option accepts, in declaration order.</summary>
    public static IReadOnlyList<string> Names<TEnum>()
        where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(LenientEnumConverter<TEnum>.WireName).ToList();

    private static void Describe<TEnum>(Option option, string description, TEnum? fallback)
        where TEnum : struct, Enum
    {
        var names = Names<TEnum>();
        option.Description = $"{description} One of: {string.Join(", ", names)} (any case)" +
            (fallback is { } value ? $"; default {LenientEnumConverter<TEnum>.WireName(value)}." : ".");
        option.HelpName = string.Join('|', names);
        option.CompletionSources.Add(names.ToArray());
    }

    private static TEnum? Parse<TEnum>(string name, ArgumentResult result)
        where TEnum : struct, Enum
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[^1].Value;
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(LenientEnumConverter<TEnum>.WireName(value), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        result.AddError($"{name}: '{text}' is not one of {string.Join(", ", Names<TEnum>())} (names only, any case).");
        return null;
    }
}
