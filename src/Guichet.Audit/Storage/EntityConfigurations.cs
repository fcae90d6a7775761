using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guichet.Audit.Storage;

// Table and column names are lower-case snake case so the verifier's plain SQL reads the
// same tables on SQLite and PostgreSQL without quoting.
internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.Property(e => e.ActorKind).HasColumnName("actor_kind").HasMaxLength(AuditLimits.ActorKind);
        builder.Property(e => e.ActorId).HasColumnName("actor_id").HasMaxLength(AuditLimits.Identifier);
        builder.Property(e => e.Action).HasColumnName("action").HasMaxLength(AuditLimits.Action);
        builder.Property(e => e.ResourceType).HasColumnName("resource_type").HasMaxLength(AuditLimits.ResourceType);
        builder.Property(e => e.ResourceId).HasColumnName("resource_id").HasMaxLength(AuditLimits.Identifier);
        builder.Property(e => e.Purpose).HasColumnName("purpose").HasMaxLength(AuditLimits.Purpose);
        builder.Property(e => e.Outcome).HasColumnName("outcome").HasMaxLength(AuditLimits.Outcome);
        builder.Property(e => e.ClientAddress).HasColumnName("client_address").HasMaxLength(AuditLimits.ClientAddress);
        builder.Property(e => e.CorrelationId).HasColumnName("correlation_id").HasMaxLength(AuditLimits.Identifier);
        builder.Property(e => e.BranchId).HasColumnName("branch_id").HasMaxLength(AuditLimits.Identifier);
        builder.Property(e => e.PreviousHash).HasColumnName("previous_hash");
        builder.Property(e => e.Hash).HasColumnName("hash");
        builder.HasIndex(e => new { e.ActorKind, e.ActorId, e.OccurredAt }).HasDatabaseName("ix_audit_entries_actor");
        builder.HasIndex(e => new { e.ResourceType, e.ResourceId, e.OccurredAt }).HasDatabaseName("ix_audit_entries_resource");
        builder.HasIndex(e => e.OccurredAt).HasDatabaseName("ix_audit_entries_time");
    }
}

internal sealed class CheckpointConfiguration : IEntityTypeConfiguration<CheckpointRecord>
{
    public void Configure(EntityTypeBuilder<CheckpointRecord> builder)
    {
        builder.ToTable("audit_checkpoints");
        builder.HasKey(c => c.Sequence);
        builder.Property(c => c.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(c => c.Hash).HasColumnName("hash");
        builder.Property(c => c.CreatedAt).HasColumnName("created_at");
        builder.Property(c => c.KeyId).HasColumnName("key_id").HasMaxLength(64);
        builder.Property(c => c.Signature).HasColumnName("signature");
    }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKeyRecord>
{
    public void Configure(EntityTypeBuilder<SigningKeyRecord> builder)
    {
        builder.ToTable("audit_signing_keys");
        builder.HasKey(k => k.KeyId);
        builder.Property(k => k.KeyId).HasColumnName("key_id").HasMaxLength(64);
        builder.Property(k => k.PublicKey).HasColumnName("public_key");
        builder.Property(k => k.SealedPrivateKey).HasColumnName("sealed_private_key");
        builder.Property(k => k.CreatedAt).HasColumnName("created_at");
    }
}

internal sealed class HoneytokenConfiguration : IEntityTypeConfiguration<HoneytokenRecord>
{
    public void Configure(EntityTypeBuilder<HoneytokenRecord> builder)
    {
        builder.ToTable("audit_honeytokens");
        builder.HasKey(h => new { h.ResourceType, h.ResourceId });
        builder.Property(h => h.ResourceType).HasColumnName("resource_type").HasMaxLength(AuditLimits.ResourceType);
        builder.Property(h => h.ResourceId).HasColumnName("resource_id").HasMaxLength(AuditLimits.Identifier);
        builder.Property(h => h.PlantedAt).HasColumnName("planted_at");
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<AlertRecord>
{
    public void Configure(EntityTypeBuilder<AlertRecord> builder)
    {
        builder.ToTable("audit_alerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(a => a.Rule).HasColumnName("rule").HasMaxLength(64);
        builder.Property(a => a.Severity).HasColumnName("severity").HasMaxLength(16);
        builder.Property(a => a.ActorKind).HasColumnName("actor_kind").HasMaxLength(AuditLimits.ActorKind);
        builder.Property(a => a.ActorId).HasColumnName("actor_id").HasMaxLength(AuditLimits.Identifier);
        builder.Property(a => a.Evidence).HasColumnName("evidence");
        builder.Property(a => a.Response).HasColumnName("response").HasMaxLength(32);
        builder.Property(a => a.State).HasColumnName("state").HasMaxLength(16);
        builder.Property(a => a.RaisedAt).HasColumnName("raised_at");
        builder.Property(a => a.HandledBy).HasColumnName("handled_by").HasMaxLength(AuditLimits.Identifier);
        builder.Property(a => a.HandledAt).HasColumnName("handled_at");
        builder.HasIndex(a => new { a.State, a.RaisedAt }).HasDatabaseName("ix_audit_alerts_state");
    }
}

internal sealed class FreezeConfiguration : IEntityTypeConfiguration<FreezeRecord>
{
    public void Configure(EntityTypeBuilder<FreezeRecord> builder)
    {
        builder.ToTable("audit_freezes");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(f => f.ActorKind).HasColumnName("actor_kind").HasMaxLength(AuditLimits.ActorKind);
        builder.Property(f => f.ActorId).HasColumnName("actor_id").HasMaxLength(AuditLimits.Identifier);
        builder.Property(f => f.AlertId).HasColumnName("alert_id");
        builder.Property(f => f.FrozenAt).HasColumnName("frozen_at");
        builder.Property(f => f.AuditorApproval).HasColumnName("auditor_approval").HasMaxLength(AuditLimits.Identifier);
        builder.Property(f => f.AdministratorApproval).HasColumnName("administrator_approval").HasMaxLength(AuditLimits.Identifier);
        builder.Property(f => f.ReleasedAt).HasColumnName("released_at");
        builder.HasIndex(f => new { f.ActorKind, f.ActorId, f.ReleasedAt }).HasDatabaseName("ix_audit_freezes_actor");
    }
}
