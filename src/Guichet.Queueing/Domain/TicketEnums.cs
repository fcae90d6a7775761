using System.Text.Json.Serialization;

namespace Guichet.Queueing.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<TicketStatus>))]
public enum TicketStatus
{
    [JsonStringEnumMemberName("waiting")]
    Waiting,

    [JsonStringEnumMemberName("called")]
    Called,

    [JsonStringEnumMemberName("serving")]
    Serving,

    [JsonStringEnumMemberName("suspended")]
    Suspended,

    [JsonStringEnumMemberName("done")]
    Done,

    [JsonStringEnumMemberName("no-show")]
    NoShow,

    [JsonStringEnumMemberName("transferred")]
    Transferred,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}

[JsonConverter(typeof(JsonStringEnumConverter<TicketChannel>))]
public enum TicketChannel
{
    [JsonStringEnumMemberName("kiosk")]
    Kiosk,

    [JsonStringEnumMemberName("online")]
    Online,

    [JsonStringEnumMemberName("staff")]
    Staff,
}

[JsonConverter(typeof(JsonStringEnumConverter<TicketPriority>))]
public enum TicketPriority
{
    [JsonStringEnumMemberName("normal")]
    Normal,

    [JsonStringEnumMemberName("priority")]
    Priority,
}

[JsonConverter(typeof(JsonStringEnumConverter<PriorityReason>))]
public enum PriorityReason
{
    [JsonStringEnumMemberName("elderly")]
    Elderly,

    [JsonStringEnumMemberName("disability")]
    Disability,

    [JsonStringEnumMemberName("vip")]
    Vip,
}

/// <summary>What happened to a ticket; one <see cref="TicketEvent"/> row per change.</summary>
public enum TicketEventKind
{
    Issued,
    Called,
    Recalled,
    Started,
    Completed,
    NoShow,
    Transferred,
    ReturnedToQueue,
    Suspended,
    Resumed,
    Cancelled,
}
