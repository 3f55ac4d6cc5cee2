using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderProcessor.Persistence;

/// <summary>
/// Ends the first command a save sends with statements of its own, so they cost no round trip: what the context has
/// armed for its next save (<see cref="Append"/> takes it, so each runs once). Such a statement must return no result
/// set (EF reads each of its own statements' results by position) and may raise to abort the transaction: the
/// command's writes ran, but none can commit.
/// </summary>
public abstract class SaveCommandAppendix<TArmed> : DbCommandInterceptor, ISaveCommandAppendix
    where TArmed : class
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        AppendArmed(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        AppendArmed(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        AppendArmed(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        AppendArmed(command, eventData);
        return ValueTask.FromResult(result);
    }

    /// <summary>What the context armed for this kind of statement, now disarmed; null when nothing is.</summary>
    protected abstract TArmed? TakeArmed(OrderProcessorDbContext db);

    /// <summary>Whether the context has armed this kind of statement (left armed).</summary>
    protected abstract bool IsArmed(OrderProcessorDbContext db);

    /// <summary>Adds the armed statement's text (ending with <c>;</c>) and its named parameters to the command.</summary>
    protected abstract void Append(DbCommand command, TArmed armed);

    private void AppendArmed(DbCommand command, CommandEventData eventData)
    {
        if (eventData.Context is not OrderProcessorDbContext db || !IsArmed(db))
        {
            return;
        }

        // Refused before taking what is armed: it stays armed, so a caller that went on to save would still write it.
        var name = GetType().Name;
        if (eventData.CommandSource != CommandSource.SaveChanges)
        {
            throw new InvalidOperationException($"{name}: a statement was armed for the next save, but the next command came from {eventData.CommandSource}.");
        }

        if (command.Transaction is null)
        {
            throw new InvalidOperationException($"{name}: a statement is armed only inside the writing transaction, whose commit it decides.");
        }

        if (TakeArmed(db) is not { } armed)
        {
            return;
        }

        if (command.Parameters.Cast<DbParameter>().Any(p => string.IsNullOrEmpty(p.ParameterName)))
        {
            throw new InvalidOperationException($"{name}: the save's command uses positional parameters; nothing can be added to it.");
        }

        AppendTo(command, armed);
    }

    public void AppendArmedTo(DbCommand command, OrderProcessorDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (IsArmed(db) && TakeArmed(db) is { } armed)
        {
            AppendTo(command, armed);
        }
    }

    private void AppendTo(DbCommand command, TArmed armed)
    {
        var text = command.CommandText.TrimEnd();
        command.CommandText = (text.EndsWith(';') ? text : text + ";") + "\n";
        Append(command, armed);
    }
}
