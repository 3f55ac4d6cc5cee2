using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderProcessor.Consumers;

namespace OrderProcessor.UnitTests.Consumers;

/// <summary>What the consumers' retry policy waits out (an outage) and what it lets fault (a bug).</summary>
public sealed class When_a_database_error_is_classified
{
    [Fact]
    public void Should_wait_out_a_failover_in_which_no_host_answers_as_the_primary()
    {
        // What Npgsql throws when every host of a multi-host connection string failed to connect.
        var noSuitableHost = new NpgsqlException("Unable to connect to a suitable host. Check inner exception for more details.",
            new AggregateException(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)),
                new NpgsqlException("Failed to connect", new SocketException((int)SocketError.TimedOut))));

        Assert.True(DatabaseRetry.IsOutage(noSuitableHost));

        // ... and when it skipped the hosts it already knew to be down, or found only standbys.
        Assert.True(DatabaseRetry.IsOutage(new NpgsqlException("No suitable host was found.")));
        Assert.True(DatabaseRetry.IsOutage(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", noSuitableHost)));
    }

    [Fact]
    public void Should_wait_out_a_refused_connection_and_a_timeout()
    {
        Assert.True(DatabaseRetry.IsOutage(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(DatabaseRetry.IsOutage(new TimeoutException()));
    }

    [Fact]
    public void Should_let_a_failover_hide_no_real_fault()
    {
        // Every host failed, one of them for a reason that is not an outage: a bug or a misconfiguration, not waited out.
        var mixed = new NpgsqlException("Unable to connect to a suitable host.",
            new AggregateException(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), new NpgsqlException("no such database")));
        Assert.False(DatabaseRetry.IsOutage(mixed));

        // Npgsql's reader wraps several errors of one result set the same way.
        Assert.False(DatabaseRetry.IsOutage(new NpgsqlException("Multiple exceptions occurred", new AggregateException(new ArgumentException("bug")))));
    }

    [Fact]
    public void Should_let_anything_else_fault()
    {
        Assert.False(DatabaseRetry.IsOutage(new NpgsqlException("syntax")));
        Assert.False(DatabaseRetry.IsOutage(new DbUpdateConcurrencyException("changed")));
        Assert.False(DatabaseRetry.IsOutage(new ArgumentException("bug")));
    }
}
