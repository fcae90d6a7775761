using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Guichet.Privacy.Storage;

internal sealed class DateTimeOffsetToUtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
