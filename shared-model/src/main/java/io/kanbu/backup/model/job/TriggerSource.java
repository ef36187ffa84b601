package io.kanbu.backup.model.job;

/** Who asked for a job. */
public enum TriggerSource {
  /** The HTTP trigger or the REST API. */
  API,
  /** A cron schedule of the scheduler service. */
  SCHEDULE,
  /** A command another service put on the queue without going through the gateway. */
  MESSAGE
}
