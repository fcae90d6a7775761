using Guichet.Queueing.Domain;

namespace Guichet.Queueing.Tests.Domain;

public sealed class WeeklyHoursTests
{
    [Theory]
    [InlineData("mon=08:30-17:00;tue=08:30-17:00")]
    [InlineData("sun=00:00-24:00")]
    [InlineData("")]
    public void Text_form_round_trips(string text) =>
        Assert.Equal(text, WeeklyHours.Parse(text).ToString());

    [Theory]
    [InlineData("mon=08:30")]
    [InlineData("xyz=08:00-09:00")]
    [InlineData("mon=17:00-08:00")]
    [InlineData("mon=08:60-09:00")]
    [InlineData("mon=24:30-24:45")]
    public void Malformed_hours_are_rejected(string text) =>
        Assert.Throws<FormatException>(() => WeeklyHours.Parse(text));

    [Theory]
    [InlineData(2026, 3, 2, 8, 29, false)] // Monday before opening
    [InlineData(2026, 3, 2, 8, 30, true)]
    [InlineData(2026, 3, 2, 16, 59, true)]
    [InlineData(2026, 3, 2, 17, 0, false)] // closing time is excluded
    [InlineData(2026, 3, 3, 12, 0, false)] // Tuesday is closed
    public void IsOpen_follows_the_day_window(int year, int month, int day, int hour, int minute, bool open)
    {
        var hours = WeeklyHours.Parse("mon=08:30-17:00");
        Assert.Equal(open, hours.IsOpen(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified)));
    }

    [Fact]
    public void Always_is_open_at_midnight_and_just_before_the_next()
    {
        Assert.True(WeeklyHours.Always.IsOpen(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Unspecified)));
        Assert.True(WeeklyHours.Always.IsOpen(new DateTime(2026, 3, 1, 23, 59, 0, DateTimeKind.Unspecified)));
    }
}
