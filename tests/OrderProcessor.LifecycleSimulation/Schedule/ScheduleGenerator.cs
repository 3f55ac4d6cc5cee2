using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Ibkr;

namespace OrderProcessor.LifecycleSimulation.Schedule;

/// <summary>Draws a schedule from a seed: the orders it may place and the steps that happen to them.</summary>
public static class ScheduleGenerator
{
    /// <summary>Seeds the second random the websocket's steps come from (the first one's steps stay the same).</summary>
    public const int StreamSeed = 0x5EED;

    /// <summary>Seeds the third random IBKR's maintenance windows come from (the other steps stay the same).</summary>
    public const int MaintenanceSeed = 0x4D41494E;

    /// <summary>Seeds the fourth random trading halts come from (the other steps stay the same).</summary>
    public const int HaltSeed = 0x48414C54;

    /// <summary>Seeds the fifth random the orders' sizing and ticket terms come from (the steps stay the same).</summary>
    public const int TermsSeed = 0x54524D53;

    /// <summary>
    /// The steps of <paramref name="seed"/>; with <paramref name="stream"/> the websocket's steps are inserted between them,
    /// drawn from a second random, so the steps of the first are those of a schedule without the stream.
    /// </summary>
    public static (IReadOnlyList<OrderSpec> Orders, List<SimAction> Steps) Generate(int seed, int steps = 160, bool stream = true)
    {
        var (orders, actions) = GenerateWithoutStream(seed, steps);
        orders = WithTicketTerms(seed, orders);
        actions = WithMaintenance(seed, actions);
        actions = WithHalts(seed, actions);
        return (orders, stream ? WithStream(seed, actions) : actions);
    }

    /// <summary>Fractional quantities a schedule's order may ask for (0.0001 is IBKR's precision).</summary>
    private static readonly decimal[] Fractions = [1m, 2.6690m, 0.5m, 3.3333m, 12.3456m, 0.0003m];

    /// <summary>Cash quantities a schedule's order may ask for (cents, as a currency amount).</summary>
    private static readonly decimal[] CashAmounts = [500.00m, 1000.00m, 250.05m, 1234.56m, 0.01m];

    /// <summary>
    /// The orders' sizing and ticket terms, drawn from a random of their own so the steps of a seed stay those it had:
    /// about one order in four fractional, one in five (a market or limit order on its own) a cash quantity, one in
    /// seven all-or-none, one limit order in five (DAY or GTC, not a bracket) MIDPRICE. A cash-quantity order takes no
    /// reference check here (the risk controls' handling of cash orders is another part's).
    /// </summary>
    private static List<OrderSpec> WithTicketTerms(int seed, IReadOnlyList<OrderSpec> orders)
    {
        var random = new Random(seed ^ TermsSeed);
        return [.. orders.Select(order =>
        {
            var roll = random.Next(100);
            var (amount, cash, aon, mid) = (Fractions[random.Next(Fractions.Length)], CashAmounts[random.Next(CashAmounts.Length)], random.Next(7) == 0, random.Next(5) == 0);
            var sized = roll switch
            {
                // Reference-checked fractional orders included: a what-if valued to the cent gives no usable price for 0.0003
                // units, which ReferencePriceRules treats as no reference (seed 666 found the band passing at 100 for 112).
                < 25 => order with { Sizing = OrderSizing.Fractional, Amount = amount },
                < 45 when order.Shape is OrderShape.Market or OrderShape.Limit => order with { Sizing = OrderSizing.Cash, Amount = cash, ReferenceChecked = false },
                _ => order,
            };
            var midPrice = mid && order.Shape == OrderShape.Limit && order.TimeInForce is TimeInForce.Day or TimeInForce.GoodTillCancelled;
            return sized with { AllOrNone = aon && order.TimeInForce != TimeInForce.ImmediateOrCancel, MidPrice = midPrice };
        })];
    }

    /// <summary>
    /// One schedule in two gets one to three maintenance windows (a minute to an hour, some longer than
    /// Lifecycle:MaxHold), some scheduled, some outages, some ended early; the other steps are those of the seed.
    /// </summary>
    private static List<SimAction> WithMaintenance(int seed, List<SimAction> actions)
    {
        var random = new Random(seed ^ MaintenanceSeed);
        if (random.Next(2) == 0)
        {
            return actions;
        }

        var result = new List<SimAction>(actions);
        for (var window = 1 + random.Next(3); window > 0; window--)
        {
            var user = random.Next(3);
            var length = random.Next(100) switch
            {
                < 50 => TimeSpan.FromSeconds(20 + random.Next(300)),
                < 85 => TimeSpan.FromMinutes(5 + random.Next(20)),
                _ => TimeSpan.FromMinutes(31 + random.Next(30)),
            };
            var at = random.Next(result.Count + 1);
            result.Insert(at, new MaintenanceStart(user, length, random.Next(2) == 0));
            if (random.Next(3) == 0)
            {
                result.Insert(at + 1 + random.Next(result.Count - at), new MaintenanceEnd(user));
            }
        }

        return result;
    }

    /// <summary>
    /// One schedule in three gets one or two trading halts (everyone, an account or a user; half with cancel working; some
    /// delivered twice), most followed by a resume (some of a scope not halted), and the halt sweepers' passes between the
    /// steps; the other steps are those of the seed.
    /// </summary>
    private static List<SimAction> WithHalts(int seed, List<SimAction> actions)
    {
        var random = new Random(seed ^ HaltSeed);
        if (random.Next(3) != 0)
        {
            return actions;
        }

        var result = new List<SimAction>(actions);
        for (var halt = 1 + random.Next(2); halt > 0; halt--)
        {
            var scope = random.Next(100) switch
            {
                < 20 => HaltScope.All,
                < 60 => HaltScope.Account,
                _ => HaltScope.User,
            };
            var key = random.Next(3);
            var at = random.Next(result.Count + 1);
            result.Insert(at, new Halt(scope, key, random.Next(2) == 0, random.Next(2), random.Next(4) == 0));
            if (random.Next(3) != 0)
            {
                // Mostly the same scope; sometimes another one (a resume of a scope not halted is refused).
                var resumed = random.Next(5) == 0 ? (HaltScope)random.Next(3) : scope;
                result.Insert(at + 1 + random.Next(result.Count - at), new Resume(resumed, random.Next(5) == 0 ? random.Next(3) : key, random.Next(2)));
            }
        }

        for (var sweep = 2 + random.Next(6); sweep > 0; sweep--)
        {
            result.Insert(random.Next(result.Count + 1), new SweepHalts(random.Next(2)));
        }

        return result;
    }

    private static List<SimAction> WithStream(int seed, List<SimAction> actions)
    {
        var random = new Random(seed ^ StreamSeed);
        var withStream = new List<SimAction>(actions.Count * 2);
        foreach (var action in actions)
        {
            withStream.Add(action);
            while (random.Next(100) < 35)
            {
                withStream.Add(random.Next(100) switch
                {
                    < 16 => new StreamConnect(random.Next(3), random.Next(2)),
                    < 50 => new StreamDeliver(random.Next(3), random.Next(64)),
                    < 62 => new StreamDuplicate(random.Next(3), random.Next(64)),
                    < 76 => new StreamLose(random.Next(3), random.Next(64)),
                    < 84 => new StreamDrop(random.Next(3)),
                    < 92 => new StreamStall(random.Next(3)),
                    _ => new StreamGarbage(random.Next(3)),
                });
            }
        }

        return withStream;
    }

    private static (IReadOnlyList<OrderSpec> Orders, List<SimAction> Steps) GenerateWithoutStream(int seed, int steps)
    {
        var random = new Random(seed);
        var orders = Enumerable.Range(0, random.Next(2, 7)).Select(_ => new OrderSpec(
            random.Next(3),
            (OrderShape)random.Next(5),
            (TimeInForce)random.Next(4),
            random.Next(4) == 0 ? MarginCheckPolicy.RejectOnBrokerError : MarginCheckPolicy.None,
            NewGuid(random), NewGuid(random), NewGuid(random),
            random.Next(3) == 0)).ToList();

        var actions = new List<SimAction>();
        foreach (var _ in Enumerable.Range(0, steps))
        {
            var roll = random.Next(100);
            actions.Add(roll switch
            {
                < 10 => new SendPlace(random.Next(orders.Count)),
                < 15 => new SendCancel(random.Next(orders.Count), random.Next(3) == 0 ? 1 + random.Next(2) : 0),
                < 17 => new SendModify(random.Next(orders.Count), 95 + random.Next(10)),
                < 18 => new SendMarginCheck(random.Next(orders.Count)),
                < 20 => new Redeliver(random.Next(64)),
                < 32 => new Consume(random.Next(8), random.Next(2)),
                < 44 => new Claim(random.Next(2), 1 + random.Next(8)),
                < 47 => new Poll(random.Next(2)),
                < 50 => new Renew(random.Next(2)),
                < 75 => new Resolve(random.Next(8), Mode(random), random.Next(100)),
                < 81 => new Tick(random.Next(1_000_000)),
                < 93 => new Advance(Advance(random)),
                < 94 => new Crash(random.Next(2)),
                < 95 => new StopCleanly(random.Next(2)),
                < 98 => new DropSession(random.Next(3)),
                _ => random.Next(4) == 0 ? new EndOfDay() : new Advance(TimeSpan.FromSeconds(1)),
            });
        }

        // One schedule in three has a user whose every IBKR call fails from some step on, while the others trade.
        if (random.Next(3) == 0)
        {
            actions.Insert(random.Next(actions.Count + 1), new UserFaults(random.Next(3)));
        }

        return (orders, actions);
    }

    private static CallMode Mode(Random random) => random.Next(100) switch
    {
        < 55 => CallMode.Answer,
        < 65 => CallMode.ActThenHold,
        < 75 => CallMode.ActThenLose,
        < 83 => CallMode.NotSent,
        < 88 => CallMode.Paced,
        < 93 => CallMode.SessionLost,
        < 97 => CallMode.ServerErrorBeforeActing,
        _ => CallMode.Stale,
    };

    private static TimeSpan Advance(Random random) => random.Next(100) switch
    {
        < 60 => TimeSpan.FromMilliseconds(100 + random.Next(3000)),
        < 85 => TimeSpan.FromSeconds(3 + random.Next(10)),
        < 97 => TimeSpan.FromSeconds(30 + random.Next(90)),
        _ => TimeSpan.FromHours(1 + random.Next(30)),
    };

    private static Guid NewGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
