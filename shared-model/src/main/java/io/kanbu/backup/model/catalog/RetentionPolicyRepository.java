package io.kanbu.backup.model.catalog;

import org.springframework.data.jpa.repository.JpaRepository;

/** Retention policies by target and kind. */
public interface RetentionPolicyRepository
    extends JpaRepository<RetentionPolicyRecord, RetentionPolicyRecord.Key> {}
