using Guichet.Privacy.Protection;
using Guichet.Queueing.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guichet.Queueing.Storage.Configurations;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.ToTable("queue_tickets");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Number).HasMaxLength(Ticket.NumberMaxLength);
        builder.Property(t => t.TrackerToken).HasMaxLength(TrackerToken.Length);
        builder.Property(t => t.StaffMemberId).HasMaxLength(100);
        builder.Property(t => t.CustomerSubjectId).HasMaxLength(Ticket.SubjectIdMaxLength);
        builder.Property(t => t.Phone).HasMaxLength(128);
        builder.Property(t => t.CustomerName).HasMaxLength(512);
        builder.Property(t => t.PhoneIndex).HasMaxLength(PhoneIndexes.FullLength);
        builder.Property(t => t.PhoneLastFour).HasMaxLength(PhoneIndexes.LastFourLength);
        builder.Property(t => t.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Priority).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.PriorityReason).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Branch>().WithMany().HasForeignKey(t => t.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Service>().WithMany().HasForeignKey(t => t.ServiceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Service>().WithMany().HasForeignKey(t => t.IssuedServiceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Counter>().WithMany().HasForeignKey(t => t.CounterId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Counter>().WithMany().HasForeignKey(t => t.TargetCounterId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.Events).WithOne().HasForeignKey(e => e.TicketId).OnDelete(DeleteBehavior.Cascade);

        // A number is issued once per issuing service and branch-local day.
        builder.HasIndex(t => new { t.IssuedServiceId, t.ServiceDay, t.Sequence }).IsUnique();
        builder.HasIndex(t => t.TrackerToken).IsUnique();
        // Issuing finds the customer who last brought a number (TicketPhones) without decrypting.
        // The last-four digits' blind index is stored with the ticket but not indexed: no query
        // on tickets asks for it, and a keyed hash lands anywhere in its index, so every ticket
        // would write a page of it. A ticket search by last four adds the index back.
        builder.HasIndex(t => t.PhoneIndex);
        // The calling rule walks this index in calling order (QueueQueries.CallableByAsync:
        // priority first, then queue time) and stops at the first ticket the counter may take,
        // so a deep queue costs no sort.
        builder.HasIndex(t => new { t.BranchId, t.Status, t.Priority, t.QueuedAt, t.Sequence, t.Id })
            .IsDescending(false, false, true, false, false, false);
        // The indexes below hold only the tickets their queries can ask for: a waiting ticket
        // has no counter, no target counter and no finish time, so issuing writes none of them,
        // and a call or a no-show moves fewer entries. Every query on them names the column
        // (=, >=, IS NOT NULL), which implies the filter on both databases.
        builder.HasIndex(t => new { t.ServiceId, t.Status, t.FinishedAt }).HasFilter("\"FinishedAt\" IS NOT NULL");
        builder.HasIndex(t => t.TargetCounterId).HasFilter("\"TargetCounterId\" IS NOT NULL");
        // Issuing counts a service's waiting tickets by priority once per batch, and a tracker
        // counts the people ahead of its ticket, from this index alone: a range of it, without
        // reading the rows of a long queue.
        builder.HasIndex(t => new { t.ServiceId, t.Status, t.Priority, t.QueuedAt, t.Sequence });
        // What a counter holds, suspended tickets included, without reading a long queue.
        builder.HasIndex(t => new { t.CounterId, t.Status }).HasFilter("\"CounterId\" IS NOT NULL");
        // A counter holds at most one current ticket, whatever the callers race to do.
        builder.HasIndex(t => t.CounterId)
            .HasDatabaseName("IX_queue_tickets_one_current_per_counter")
            .HasFilter("\"Status\" IN ('Called', 'Serving')")
            .IsUnique();
    }
}

internal sealed class TicketEventConfiguration : IEntityTypeConfiguration<TicketEvent>
{
    public void Configure(EntityTypeBuilder<TicketEvent> builder)
    {
        builder.ToTable("queue_ticket_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.StaffMemberId).HasMaxLength(100);
        builder.HasIndex(e => new { e.TicketId, e.OccurredAt });
    }
}
