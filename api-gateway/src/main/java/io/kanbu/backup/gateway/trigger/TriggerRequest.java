package io.kanbu.backup.gateway.trigger;

import io.kanbu.backup.model.job.JobType;

/**
 * A validated trigger: what to run on which configured target.
 *
 * @param type the job type
 * @param target the name of a configured target
 */
public record TriggerRequest(JobType type, String target) {}
