package io.kanbu.backup.worker.job;

import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job this worker won the claim for, as read right after the claim committed.
 *
 * @param id job id
 * @param type what to run
 * @param target the target's name
 * @param trigger who asked
 * @param attempt which attempt this is (1 for the first)
 * @param backupId the backup the job works on ({@code VERIFY}, {@code DELETE_BACKUP}); null for
 *     jobs that make one
 */
public record ClaimedJob(
    UUID id,
    JobType type,
    String target,
    TriggerSource trigger,
    int attempt,
    @Nullable UUID backupId) {}
