using System.CommandLine;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>An enum option and the value it has when left out (see <see cref="EnumOption.WithDefault{TEnum}"/>).</summary>
public sealed class DefaultedEnumOption<TEnum>(Option<TEnum?> option, TEnum fallback)
    where TEnum : struct, Enum
{
    /// <summary>The option, to add to a command.</summary>
    public Option<TEnum?> Option { get; } = option;

    /// <summary>The value given, or the default.</summary>
    public TEnum ValueIn(ParseResult parse) => parse?.GetValue(Option) ?? fallback;
}
