using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderProcessor.Persistence;

/// <summary>
/// How every <see cref="OrderProcessorDbContext"/> is configured, in the host, the CLI, the tests and the design-time
/// factory alike: Npgsql with the migrations assembly, snake-case names, and the interceptors that end a save's first
/// command with the lease fence (without it a fenced save refuses to write, see <see cref="LeaseFenceInterceptor"/>) and
/// the order-rate spend (<see cref="RateSpendInterceptor"/>), then the save's inbox row (<see cref="InboxInsertInterceptor"/>)
/// and outbox rows (<see cref="OutboxInsertInterceptor"/>).
/// </summary>
public static class OrderProcessorDbContextOptions
{
    public const string MigrationsAssembly = "OrderProcessor.Migrations";

    public static DbContextOptionsBuilder<OrderProcessorDbContext> UseOrderProcessorDatabase(this DbContextOptionsBuilder<OrderProcessorDbContext> builder,
        string connectionString)
    {
        UseOrderProcessorDatabase((DbContextOptionsBuilder)builder, connectionString);
        return builder;
    }

    public static DbContextOptionsBuilder UseOrderProcessorDatabase(this DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(SaveCommandAppendices);
    }

    /// <summary>
    /// The statements that end a save's first command, after the save's own, in the order they are appended: the fence,
    /// the rate spend, then the rows the change caused. Both EF's save (through the interceptors) and
    /// <see cref="OrderUpdateSave"/> append them in this order.
    /// </summary>
    internal static IReadOnlyList<ISaveCommandAppendix> SaveCommandAppendixOrder { get; } =
        [LeaseFenceInterceptor.Instance, RateSpendInterceptor.Instance, InboxInsertInterceptor.Instance, OutboxInsertInterceptor.Instance];

    private static IInterceptor[] SaveCommandAppendices => [.. SaveCommandAppendixOrder.Cast<IInterceptor>()];
}
