using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Ibkr;

namespace OrderProcessor.LifecycleSimulation.Schedule;

/// <summary>
/// One step of a schedule. Steps name things by index (taken modulo what exists when the step runs), so a schedule
/// with steps removed still runs: that is what lets a failing schedule be shrunk to a minimal one.
/// </summary>
public abstract record SimAction;

/// <summary>An upstream system publishes the PlaceOrder of order spec <paramref name="Order"/> (again, with a new message id, if it did before).</summary>
public sealed record SendPlace(int Order) : SimAction;

/// <summary>A CancelOrder of order spec <paramref name="Order"/>: its leader (0) or one of its legs or members (1, 2).</summary>
public sealed record SendCancel(int Order, int Leg = 0) : SimAction;

/// <summary>A standalone MarginCheck for the user of order spec <paramref name="Order"/>.</summary>
public sealed record SendMarginCheck(int Order) : SimAction;

public sealed record SendModify(int Order, decimal LimitPrice) : SimAction;

/// <summary>The broker delivers a message already delivered once more (same message id).</summary>
public sealed record Redeliver(int Message) : SimAction;

/// <summary>A processor takes a message off the bus (messages may overtake each other).</summary>
public sealed record Consume(int Message, int Process) : SimAction;

/// <summary>A processor's broker worker claims due work.</summary>
public sealed record Claim(int Process, int Limit) : SimAction;

/// <summary>A processor's status poller polls the users it holds.</summary>
public sealed record Poll(int Process) : SimAction;

/// <summary>A processor's lease keeper renews the leases it holds (it runs on a timer of its own).</summary>
public sealed record Renew(int Process) : SimAction;

/// <summary>A pending IBKR call is resolved.</summary>
public sealed record Resolve(int Call, CallMode Mode, int Variant) : SimAction;

/// <summary>The market moves.</summary>
public sealed record Tick(int Variant) : SimAction;

public sealed record Advance(TimeSpan By) : SimAction;

/// <summary>A processor is killed (in-memory state lost) and starts again as a new instance.</summary>
public sealed record Crash(int Process) : SimAction;

/// <summary>
/// A processor is stopped cleanly (SIGTERM, a rolling restart): it stops taking commands and work, drains, polls its
/// users a last time, releases its leases, and starts again as a new instance.
/// </summary>
public sealed record StopCleanly(int Process) : SimAction;

/// <summary>A user's brokerage session ends (dropped, or taken by another platform).</summary>
public sealed record DropSession(int User) : SimAction;

/// <summary>
/// From now until the schedule ends, every IBKR call of one user fails (hangs until its deadline, loses its answer after
/// acting, 5xx, refused, 429, session lost, stale) while the other users trade as the schedule says: one user's trouble
/// must stay that user's.
/// </summary>
public sealed record UserFaults(int User) : SimAction;

/// <summary>The trading day ends (DAY orders expire) and the night passes (sessions reset).</summary>
public sealed record EndOfDay : SimAction;

// ---- The websocket's steps (drawn from a second random of the seed, between the steps above) ----

/// <summary>
/// A processor's guard opens the user's socket (if that processor follows the user and has none open): its session,
/// the read of the live orders before subscribing, then <c>sor</c>/<c>str</c> (the day's executions replayed) and the
/// gap <c>Subscribed</c>.
/// </summary>
public sealed record StreamConnect(int User, int Process) : SimAction;

/// <summary>The user's socket delivers one queued frame: index <paramref name="Frame"/> modulo the queue (frames overtake each other).</summary>
public sealed record StreamDeliver(int User, int Frame) : SimAction;

/// <summary>A queued frame is delivered and stays queued (it will come again).</summary>
public sealed record StreamDuplicate(int User, int Frame) : SimAction;

/// <summary>A queued frame is lost.</summary>
public sealed record StreamLose(int User, int Frame) : SimAction;

/// <summary>The user's socket drops (gap <c>Dropped</c>): its queued frames are lost.</summary>
public sealed record StreamDrop(int User) : SimAction;

/// <summary>The user's socket goes silent while open; the guard's watchdog notices after its heartbeat timeout (gap <c>HeartbeatMissed</c>).</summary>
public sealed record StreamStall(int User) : SimAction;

/// <summary>An unreadable frame arrives in place of the first queued one (gap <c>Malformed</c>; the guard gives up on the socket after a few).</summary>
public sealed record StreamGarbage(int User) : SimAction;

// ---- IBKR's maintenance windows (drawn from a third random of the seed, inserted between the steps above) ----

/// <summary>
/// IBKR goes into maintenance for one user (a region of its own) for <paramref name="Length"/>: scheduled (the processor
/// knows its end) or an outage (detected, end unknown).
/// </summary>
public sealed record MaintenanceStart(int User, TimeSpan Length, bool Scheduled) : SimAction;

/// <summary>IBKR comes back for the user now (an outage that ends, or a window that ends early).</summary>
public sealed record MaintenanceEnd(int User) : SimAction;

// ---- Trading halts, the kill switch (drawn from a fourth random of the seed, inserted between the steps above) ----

/// <summary>
/// An operator halts trading (a HaltTrading command) for everyone, or the account or the user of user
/// <paramref name="Key"/>; processor <paramref name="Process"/> consumes it at once. <paramref name="Twice"/>: the broker
/// delivers the same message again later (it must change nothing and answer nothing more).
/// </summary>
public sealed record Halt(HaltScope Scope, int Key, bool CancelWorking, int Process, bool Twice = false) : SimAction;

/// <summary>An operator resumes trading for the scope (a ResumeTrading command), consumed at once by <paramref name="Process"/>.</summary>
public sealed record Resume(HaltScope Scope, int Key, int Process) : SimAction;

/// <summary>A processor's halt cancel sweeper runs a pass (it runs on a timer of its own on every instance).</summary>
public sealed record SweepHalts(int Process) : SimAction;
