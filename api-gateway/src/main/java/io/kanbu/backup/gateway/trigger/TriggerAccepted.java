package io.kanbu.backup.gateway.trigger;

import io.kanbu.backup.model.job.JobStatus;
import java.util.UUID;

/**
 * The answer to a trigger that does not wait.
 *
 * @param jobId the job created (or found again by its idempotency key)
 * @param status its status now
 * @param statusUrl where to follow it
 */
public record TriggerAccepted(UUID jobId, JobStatus status, String statusUrl) {}
