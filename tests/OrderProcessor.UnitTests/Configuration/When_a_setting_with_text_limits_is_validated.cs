using System.ComponentModel.DataAnnotations;
using System.Globalization;
using OrderProcessor.Configuration;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Configuration;

public sealed class When_a_setting_with_text_limits_is_validated(ITestOutputHelper output)
{
    [Fact]
    public void Should_give_the_same_answer_to_threads_that_validate_at_once()
    {
        // [Range(typeof(TimeSpan), ...)] parsed its limits on first use without a lock, and a host start-up beside another
        // once failed with an InvalidCastException from RangeAttribute.SetupConversion. A fresh attribute each round, its
        // first use by all threads at once: the moment that went wrong
        // (RangeAttribute fails here a dozen times in 50,000 rounds).
        const int Rounds = 50_000;
        var threads = Math.Max(4, Environment.ProcessorCount);
        var failures = 0;
        using var start = new Barrier(threads);
        ValidationAttribute attribute = null!;
        var workers = Enumerable.Range(0, threads).Select(index => new Thread(() =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                if (index == 0)
                {
                    attribute = new RangeOfAttribute<TimeSpan>("00:00:01", "00:10:00");
                }

                start.SignalAndWait();
                try
                {
                    if (!attribute.IsValid(TimeSpan.FromSeconds(30)))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (Exception exception) when (exception is InvalidCastException or InvalidOperationException)
                {
                    Interlocked.Increment(ref failures);
                }

                start.SignalAndWait();
            }
        })).ToList();

        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());

        output.WriteLine($"{Rounds} rounds of {threads} threads: {failures} wrong answers or exceptions");
        Assert.Equal(0, failures);
    }

    [Theory]
    [InlineData("00:00:01", true)]
    [InlineData("00:10:00", true)]
    [InlineData("00:00:00.999", false)]
    [InlineData("00:10:00.001", false)]
    public void Should_take_both_limits_as_allowed_and_nothing_beyond(string value, bool valid)
    {
        var attribute = new RangeOfAttribute<TimeSpan>("00:00:01", "00:10:00");

        Assert.Equal(valid, attribute.IsValid(TimeSpan.Parse(value, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Should_parse_decimal_limits_in_the_invariant_culture_whatever_the_threads_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // A culture that writes 0,01 (made by hand: the processor runs without ICU, in globalization-invariant mode).
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = comma;
            var attribute = new RangeOfAttribute<decimal>("0.01", "1000");

            Assert.Equal((0.01m, 1000m), (attribute.Minimum, attribute.Maximum));
            Assert.False(attribute.IsValid(0m));
            Assert.True(attribute.IsValid(0.01m));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Should_leave_an_unset_value_to_required_and_refuse_a_value_of_another_type()
    {
        var attribute = new RangeOfAttribute<decimal>("1", "2");

        Assert.True(attribute.IsValid(null));
        Assert.False(attribute.IsValid("1.5"));
    }

    [Fact]
    public void Should_say_the_settings_own_message_or_else_the_field_and_its_limits()
    {
        var named = new RangeOfAttribute<TimeSpan>("00:00:01", "00:10:00") { ErrorMessage = "Lifecycle:WorkLease must be between 1 s and 10 min." };
        var plain = new RangeOfAttribute<TimeSpan>("00:00:01", "00:10:00");

        Assert.Equal("Lifecycle:WorkLease must be between 1 s and 10 min.", named.FormatErrorMessage("WorkLease"));
        Assert.Equal("The field WorkLease must be between 00:00:01 and 00:10:00.", plain.FormatErrorMessage("WorkLease"));
    }

    [Fact]
    public void Should_refuse_limits_the_wrong_way_round_when_the_attribute_is_made()
    {
        var error = Assert.Throws<ArgumentException>(() => new RangeOfAttribute<TimeSpan>("00:10:00", "00:00:01"));

        Assert.Contains("00:10:00 is above the maximum 00:00:01", error.Message, StringComparison.Ordinal);
    }
}
