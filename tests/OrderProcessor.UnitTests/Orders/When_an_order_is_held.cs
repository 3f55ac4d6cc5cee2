using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>
/// IBKR unavailable (a maintenance window or an outage), known before anything was sent: an order not yet at IBKR is
/// held (no attempt spent) and sent when IBKR is back, or rejected once Lifecycle:MaxHold is over; work on an order IBKR
/// has is done again after the window.
/// </summary>
public sealed class When_an_order_is_held(ITestOutputHelper output)
{
    private const string Region = "NorthAmerica";

    private static BrokerUnavailable Unavailable(Guid token, OrderWork work, DateTimeOffset? until) =>
        new(token, work, until is null ? HoldCause.IbkrUnavailable : HoldCause.ScheduledMaintenance, Region,
            until is null ? "IBKR answered 503 Service Unavailable" : "IBKR's nightly maintenance (NorthAmerica)", until);

    private static (List<OrderSaga> Group, OrderDecision Decision, EventStamp Stamp) Held(PlaceOrder? command = null, DateTimeOffset? until = null)
    {
        var (token, group) = Lifecycle.Submitting(command);
        var stamp = Lifecycle.Stamp();
        var decision = Lifecycle.Apply(group, Unavailable(token, OrderWork.Submit, until ?? stamp.At.AddMinutes(10)), stamp);
        return (group, decision, stamp);
    }

    [Fact]
    public void Should_hold_a_send_that_met_ibkr_unavailable_without_spending_an_attempt()
    {
        var (token, group) = Lifecycle.Submitting();
        var leader = group[0];
        var attemptsBefore = leader.WorkAttempts;
        var stamp = Lifecycle.Stamp();
        var until = stamp.At.AddMinutes(10);

        var decision = Lifecycle.Apply(group, Unavailable(token, OrderWork.Submit, until), stamp);

        var held = Assert.Single(Lifecycle.Events<OrderHeld>(decision));
        output.WriteLine($"attempts at the claim {attemptsBefore}, after the hold {leader.WorkAttempts}; status {leader.Status}; due {leader.WorkDue} at {leader.WorkDueAt:O}; " +
            $"OrderHeld from {held.PreviousStatus}, expected until {held.ExpectedUntil:O}, reject after {held.RejectAfter:O}; first sent {leader.FirstSentAt?.ToString("O") ?? "(never)"}");
        Assert.Equal(1, attemptsBefore);
        Assert.Equal((OrderStatus.Held, OrderWork.Submit, until, 0), (leader.Status, leader.WorkDue, leader.WorkDueAt!.Value, leader.WorkAttempts));
        Assert.Null(leader.ClaimToken);
        Assert.Null(leader.FirstSentAt);
        Assert.Equal((stamp.At, until), (leader.HeldSince!.Value, leader.HoldUntil!.Value));
        Assert.Equal((OrderStatus.Submitting, HoldCause.ScheduledMaintenance, Region, stamp.At + Lifecycle.Settings.MaxHold),
            (held.PreviousStatus, held.Cause, held.Region, held.RejectAfter));
    }

    [Fact]
    public void Should_look_again_after_the_probe_interval_when_the_end_of_an_outage_is_not_known()
    {
        var (token, group) = Lifecycle.Submitting();
        var stamp = Lifecycle.Stamp();

        Lifecycle.Apply(group, Unavailable(token, OrderWork.Submit, null), stamp);

        output.WriteLine($"detected outage (no known end): due {group[0].WorkDueAt:O}, {group[0].WorkDueAt - stamp.At} after the hold");
        Assert.Equal(stamp.At + Lifecycle.Settings.HoldProbeInterval, group[0].WorkDueAt);
        Assert.Null(group[0].HoldUntil);
    }

    [Fact]
    public void Should_send_a_released_order_and_end_its_hold_when_ibkr_takes_it()
    {
        var (group, _, _) = Held();
        var leader = group[0];

        var (token, work, _) = Lifecycle.Claim(group);
        Assert.Equal((OrderWork.Submit, OrderStatus.Submitting, 1), (work, leader.Status, leader.WorkAttempts));
        Assert.NotNull(leader.HeldSince);
        var accepted = Lifecycle.Apply(group, Lifecycle.Accept(token, group));

        output.WriteLine($"released: claimed {work}, then {leader.Status}, events {string.Join(", ", Lifecycle.EventNames(accepted))}; held since now {leader.HeldSince?.ToString("O") ?? "(not held)"}");
        Assert.Equal(OrderStatus.Submitted, leader.Status);
        Assert.Single(Lifecycle.Events<OrderSubmitted>(accepted));
        Assert.Null(leader.HeldSince);
        Assert.Null(leader.HoldUntil);
    }

    [Fact]
    public void Should_publish_OrderHeld_once_per_hold_and_count_MaxHold_from_the_first_hold()
    {
        var (group, first, firstStamp) = Held();
        var leader = group[0];
        var events = Lifecycle.Events<OrderHeld>(first).Count;
        for (var round = 0; round < 5; round++)
        {
            var (token, _, _) = Lifecycle.Claim(group);
            events += Lifecycle.Events<OrderHeld>(Lifecycle.Apply(group, Unavailable(token, OrderWork.Submit, null))).Count;
        }

        output.WriteLine($"6 sends met IBKR unavailable: {events} OrderHeld, held since {leader.HeldSince:O} (first hold {firstStamp.At:O}), attempts {leader.WorkAttempts}, status {leader.Status}");
        Assert.Equal(1, events);
        Assert.Equal(firstStamp.At, leader.HeldSince);
        Assert.Equal((OrderStatus.Held, 0), (leader.Status, leader.WorkAttempts));
    }

    [Fact]
    public void Should_reject_a_hold_that_lasted_MaxHold_with_nothing_sent()
    {
        var settings = Lifecycle.Settings with { MaxHold = TimeSpan.FromMinutes(20) };
        var group = Lifecycle.Accepted();
        var leader = group[0];
        var start = Lifecycle.Stamp();
        var token = Guid.NewGuid();
        OrderLifecycle.Claim(group, token, start, settings);
        OrderLifecycle.Apply(group, Unavailable(token, OrderWork.Submit, null), start, settings);
        Assert.Equal(start.At + settings.HoldProbeInterval, leader.WorkDueAt);

        // Just before the bound: held again.
        var before = EventStamp.Create(start.At + settings.MaxHold - TimeSpan.FromSeconds(1), Guid.NewGuid(), Guid.NewGuid());
        token = Guid.NewGuid();
        OrderLifecycle.Claim(group, token, before, settings);
        OrderLifecycle.Apply(group, Unavailable(token, OrderWork.Submit, null), before, settings);
        Assert.Equal(OrderStatus.Held, leader.Status);
        Assert.Equal(start.At + settings.MaxHold, leader.WorkDueAt);

        var at = EventStamp.Create(start.At + settings.MaxHold, Guid.NewGuid(), Guid.NewGuid());
        token = Guid.NewGuid();
        OrderLifecycle.Claim(group, token, at, settings);
        var decision = OrderLifecycle.Apply(group, Unavailable(token, OrderWork.Submit, null), at, settings);

        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(decision));
        output.WriteLine($"after {settings.MaxHold} held: {leader.Status} ({rejected.ReasonCode}): {rejected.Reason}");
        Assert.Equal((OrderStatus.Rejected, RejectionReasonCode.HoldExpired), (leader.Status, rejected.ReasonCode));
        Assert.Contains("nothing was sent", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(OrderWork.None, leader.WorkDue);
    }

    [Fact]
    public void Should_reject_every_leg_of_a_group_whose_what_if_hold_lasted_MaxHold()
    {
        // A what-if holds only the group's leader; its legs wait in Received with no work of their own. When the hold is
        // over they end with it (the lifecycle simulation found them left Received with nothing due).
        var settings = Lifecycle.Settings with { MaxHold = TimeSpan.FromMinutes(20) };
        var group = Lifecycle.Accepted(Lifecycle.Bracket() with { MarginCheck = MarginCheckPolicy.RejectOnBrokerError });
        var start = Lifecycle.Stamp();
        var token = Guid.NewGuid();
        Assert.Equal(OrderWork.CheckMargin, OrderLifecycle.Claim(group, token, start, settings).Work);
        OrderLifecycle.Apply(group, Unavailable(token, OrderWork.CheckMargin, null), start, settings);
        Assert.Equal([OrderStatus.Held, OrderStatus.Received, OrderStatus.Received], group.Select(o => o.Status));

        var at = EventStamp.Create(start.At + settings.MaxHold, Guid.NewGuid(), Guid.NewGuid());
        token = Guid.NewGuid();
        OrderLifecycle.Claim(group, token, at, settings);
        var decision = OrderLifecycle.Apply(group, Unavailable(token, OrderWork.CheckMargin, null), at, settings);

        var rejected = Lifecycle.Events<OrderRejected>(decision);
        output.WriteLine($"after {settings.MaxHold} held in the what-if: {string.Join(", ", group.Select(o => $"{o.Status} ({o.WorkDue})"))}; {rejected.Count} OrderRejected ({string.Join(", ", rejected.Select(r => r.ReasonCode).Distinct())})");
        Assert.All(group, o => Assert.Equal((OrderStatus.Rejected, OrderWork.None), (o.Status, o.WorkDue)));
        Assert.Equal(3, rejected.Count);
        Assert.All(rejected, r => Assert.Equal(RejectionReasonCode.HoldExpired, r.ReasonCode));
    }

    [Fact]
    public void Should_cancel_every_leg_when_a_cancel_meets_a_what_if_hold()
    {
        var group = Lifecycle.Accepted(Lifecycle.Bracket() with { MarginCheck = MarginCheckPolicy.RejectOnBrokerError });
        var (token, work, _) = Lifecycle.Claim(group);
        Assert.Equal(OrderWork.CheckMargin, work);
        Lifecycle.Cancel(group);

        var decision = Lifecycle.Apply(group, Unavailable(token, OrderWork.CheckMargin, null));

        output.WriteLine($"cancel asked during the what-if, then IBKR unavailable: {string.Join(", ", group.Select(o => o.Status))}; events {string.Join(", ", Lifecycle.EventNames(decision))}");
        Assert.All(group, o => Assert.Equal((OrderStatus.Cancelled, OrderWork.None), (o.Status, o.WorkDue)));
    }

    [Fact]
    public void Should_cancel_a_held_order_at_once()
    {
        var (group, _, _) = Held(Lifecycle.Bracket());

        var decision = Lifecycle.Cancel(group);

        output.WriteLine($"cancel of a held bracket: {string.Join(", ", group.Select(o => o.Status))}; events {string.Join(", ", Lifecycle.EventNames(decision))}");
        Assert.All(group, o => Assert.Equal((OrderStatus.Cancelled, OrderWork.None), (o.Status, o.WorkDue)));
        Assert.Equal(3, Lifecycle.Events<OrderCancelled>(decision).Count);
    }

    [Fact]
    public void Should_cancel_instead_of_holding_when_a_cancel_was_asked_for_during_the_send()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Cancel(group);

        var decision = Lifecycle.Apply(group, Unavailable(token, OrderWork.Submit, null));

        output.WriteLine($"events: {string.Join(", ", Lifecycle.EventNames(decision))}");
        Assert.Equal(OrderStatus.Cancelled, group[0].Status);
        Assert.Empty(Lifecycle.Events<OrderHeld>(decision));
    }

    [Fact]
    public void Should_hold_a_whole_bracket_and_send_it_whole_when_released()
    {
        var (group, decision, _) = Held(Lifecycle.Bracket());
        Assert.All(group, o => Assert.Equal(OrderStatus.Held, o.Status));
        Assert.Equal(3, Lifecycle.Events<OrderHeld>(decision).Count);

        var (_, work, _) = Lifecycle.Claim(group);

        output.WriteLine($"released bracket: {work}, {string.Join(", ", group.Select(o => o.Status))}");
        Assert.Equal(OrderWork.Submit, work);
        Assert.All(group, o => Assert.Equal(OrderStatus.Submitting, o.Status));
    }

    [Fact]
    public void Should_change_a_held_orders_terms_at_once_and_send_them_when_released()
    {
        var (group, _, _) = Held();
        var leader = group[0];

        var decision = Lifecycle.Apply(group, new ModifyRequested(new ModifyOrder { OrderId = leader.OrderId, UserId = "alice", LimitPrice = 99.5m, Quantity = 12 }));

        var modified = Assert.Single(Lifecycle.Events<OrderModified>(decision));
        output.WriteLine($"modify of a held order: {leader.Status}, quantity {leader.Quantity}, limit {leader.LimitPrice}; event quantity {modified.Quantity}; due {leader.WorkDue}");
        Assert.Equal((OrderStatus.Held, 12m, 99.5m, OrderWork.Submit), (leader.Status, leader.Quantity!.Value, leader.LimitPrice!.Value, leader.WorkDue));
        Assert.Null(leader.PendingModification);
    }

    [Fact]
    public void Should_refuse_an_invalid_modification_of_a_held_order()
    {
        var (group, _, _) = Held();
        var leader = group[0];

        var decision = Lifecycle.Apply(group, new ModifyRequested(new ModifyOrder { OrderId = leader.OrderId, UserId = "alice", Quantity = -5 }));

        var refused = Assert.Single(Lifecycle.Events<OrderRejected>(decision));
        output.WriteLine($"invalid modify: {refused.ReasonCode}: {refused.Reason}");
        Assert.Equal(RejectionReasonCode.ValidationFailed, refused.ReasonCode);
        Assert.Equal((OrderStatus.Held, 10m), (leader.Status, leader.Quantity!.Value));
    }

    [Fact]
    public void Should_run_the_what_if_again_when_a_held_order_with_a_margin_policy_is_modified()
    {
        var group = Lifecycle.Accepted(When_a_place_order_is_validated.Valid() with { MarginCheck = MarginCheckPolicy.RejectOnBrokerError });
        var leader = group[0];
        var (token, work, _) = Lifecycle.Claim(group);
        Assert.Equal(OrderWork.CheckMargin, work);
        var held = Lifecycle.Apply(group, Unavailable(token, OrderWork.CheckMargin, null));
        Assert.Equal((OrderStatus.Held, OrderWork.CheckMargin, 0), (leader.Status, leader.WorkDue, leader.WorkAttempts));
        Assert.Equal(OrderStatus.MarginChecking, Assert.Single(Lifecycle.Events<OrderHeld>(held)).PreviousStatus);

        // Released: the what-if runs; approved, the send meets the window again.
        (token, work, _) = Lifecycle.Claim(group);
        Assert.Equal((OrderWork.CheckMargin, OrderStatus.MarginChecking), (work, leader.Status));
        Lifecycle.Apply(group, new MarginChecked(token, new WhatIfFigures("USD", new MarginFigure(0, 10, 10), new MarginFigure(0, 5, 5), new MarginFigure(1000, 0, 1000), 1m, 1000m, null, null)));
        (token, work, _) = Lifecycle.Claim(group);
        Assert.Equal(OrderWork.Submit, work);
        Lifecycle.Apply(group, Unavailable(token, OrderWork.Submit, null));
        Assert.Equal((OrderStatus.Held, OrderWork.Submit), (leader.Status, leader.WorkDue));

        Lifecycle.Apply(group, new ModifyRequested(new ModifyOrder { OrderId = leader.OrderId, UserId = "alice", Quantity = 500 }));

        output.WriteLine($"held after an approved what-if, then modified to {leader.Quantity}: due {leader.WorkDue}");
        Assert.Equal(OrderWork.CheckMargin, leader.WorkDue);
        (_, work, _) = Lifecycle.Claim(group);
        Assert.Equal((OrderWork.CheckMargin, OrderStatus.MarginChecking), (work, leader.Status));
    }

    [Fact]
    public void Should_ask_an_operator_when_ibkr_reports_a_held_order()
    {
        var (group, _, _) = Held();

        var decision = Lifecycle.Observe(group[0], "Submitted");

        output.WriteLine($"IBKR reports a held order: {group[0].Status}; {group[0].LastReason}; events {string.Join(", ", Lifecycle.EventNames(decision))}");
        Assert.Equal(OrderStatus.NeedsAttention, group[0].Status);
        Assert.True(TransitionTable.For(OrderStatus.Held, LifecycleInput.ObservedWorking).Impossible);
    }

    [Fact]
    public void Should_take_a_late_acceptance_of_an_earlier_send_of_a_held_order()
    {
        var (firstToken, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, Lifecycle.Absent(firstToken));
        var leader = group[0];

        // The earlier send's claim is over; the order was sent again and met the window.
        var (token, _, _) = Lifecycle.Claim(group);
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "timed out"));
        for (var miss = 0; miss < Lifecycle.Settings.ReconcileMissesBeforeResend; miss++)
        {
            var (read, _, _) = Lifecycle.Claim(group);
            Lifecycle.Apply(group, Lifecycle.Absent(read));
        }

        var (resend, work, _) = Lifecycle.Claim(group);
        Assert.Equal(OrderWork.Submit, work);
        Lifecycle.Apply(group, Unavailable(resend, OrderWork.Submit, null));
        Assert.Equal(OrderStatus.Held, leader.Status);

        var late = Lifecycle.Apply(group, Lifecycle.Accept(token, group));

        output.WriteLine($"a late acceptance of an earlier send of a held order: {leader.Status}, events {string.Join(", ", Lifecycle.EventNames(late))}");
        Assert.Equal((OrderStatus.Submitted, OrderWork.None), (leader.Status, leader.WorkDue));
        Assert.Null(leader.HeldSince);
    }

    [Fact]
    public void Should_add_nothing_when_the_unavailable_answer_comes_late_or_twice()
    {
        var (token, group) = Lifecycle.Submitting();
        var leader = group[0];
        Lifecycle.Apply(group, Lifecycle.Accept(token, group));

        var late = Lifecycle.Apply(group, Unavailable(token, OrderWork.Submit, null));
        Assert.True(late.IsEmpty);
        Assert.Equal(OrderStatus.Submitted, leader.Status);

        var (held, _, _) = Held();
        var twiceToken = Guid.NewGuid();
        var twice = Lifecycle.Apply(held, Unavailable(twiceToken, OrderWork.Submit, null));

        output.WriteLine($"late on a Submitted order: {leader.Status}, {late.Events.Count} events; a second answer on a held order: {held[0].Status}, {twice.Events.Count} events, {string.Join("; ", twice.Rules)}");
        Assert.True(twice.IsEmpty);
        Assert.Equal(OrderStatus.Held, held[0].Status);
    }

    [Fact]
    public void Should_read_again_after_the_window_a_reconciliation_that_met_it()
    {
        var (token, group) = Lifecycle.Submitting();
        var leader = group[0];
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "HTTP 503 on place"));
        var (read, work, _) = Lifecycle.Claim(group);
        Assert.Equal(OrderWork.Reconcile, work);
        var stamp = Lifecycle.Stamp();
        var until = stamp.At.AddMinutes(15);

        var decision = Lifecycle.Apply(group, Unavailable(read, OrderWork.Reconcile, until), stamp);

        output.WriteLine($"a reconciliation met the window: {leader.Status}, due {leader.WorkDue} at {leader.WorkDueAt:O}, misses {leader.ReconcileMisses}, events {decision.Events.Count}");
        Assert.True(decision.IsEmpty);
        Assert.Equal((OrderStatus.Submitting, OrderWork.Reconcile, until, 0), (leader.Status, leader.WorkDue, leader.WorkDueAt!.Value, leader.ReconcileMisses));
    }

    [Theory]
    [InlineData(OrderWork.Cancel)]
    [InlineData(OrderWork.Modify)]
    public void Should_do_work_on_an_order_at_ibkr_again_after_the_window_without_spending_an_attempt(OrderWork kind)
    {
        var order = Lifecycle.Working();
        if (kind == OrderWork.Cancel)
        {
            Lifecycle.Cancel([order]);
        }
        else
        {
            Lifecycle.Apply([order], new ModifyRequested(new ModifyOrder { OrderId = order.OrderId, UserId = "alice", LimitPrice = 99m }));
        }

        var status = order.Status;
        var (token, work, _) = Lifecycle.Claim([order]);
        Assert.Equal((kind, 1), (work, order.WorkAttempts));
        var stamp = Lifecycle.Stamp();

        Lifecycle.Apply([order], Unavailable(token, kind, stamp.At.AddMinutes(5)), stamp);

        output.WriteLine($"{kind} met the window: {order.Status}, due {order.WorkDue} at {order.WorkDueAt:O}, attempts {order.WorkAttempts}");
        Assert.Equal((status, kind, stamp.At.AddMinutes(5), 0), (order.Status, order.WorkDue, order.WorkDueAt!.Value, order.WorkAttempts));
    }

    [Fact]
    public void Should_translate_only_ibkr_unavailable_into_a_hold()
    {
        var until = DateTimeOffset.UtcNow.AddMinutes(3);
        var claim = Guid.NewGuid();
        var unavailable = new IbkrUnavailableException("alice", HoldCause.ScheduledMaintenance, "Europe", until, "IBKR's nightly maintenance (Europe)", "/iserver/account/DU1/orders");

        var input = OutcomeTranslator.Unavailable(claim, OrderWork.Submit, unavailable);
        var notReady = OutcomeTranslator.Unavailable(claim, OrderWork.Submit, new BrokerageException(BrokerageFailureKind.NotReady, "no session", "alice"));

        output.WriteLine($"IbkrUnavailableException → {input}; NotReady → {notReady?.ToString() ?? "(not a hold)"}");
        Assert.Equal(new BrokerUnavailable(claim, OrderWork.Submit, HoldCause.ScheduledMaintenance, "Europe", "IBKR's nightly maintenance (Europe)", until), input);
        Assert.Null(notReady);
        Assert.IsType<SubmissionNotSent>(OutcomeTranslator.SubmissionFailure(claim, new BrokerageException(BrokerageFailureKind.NotReady, "no session", "alice")));
    }
}
