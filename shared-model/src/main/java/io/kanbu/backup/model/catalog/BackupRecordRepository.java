package io.kanbu.backup.model.catalog;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

/** Backups in the catalog. */
public interface BackupRecordRepository
    extends JpaRepository<BackupRecord, UUID>, JpaSpecificationExecutor<BackupRecord> {

  List<BackupRecord> findByJobId(UUID jobId);
}
