package io.kanbu.backup.worker.job;

/** What to do with a command taken from the queue. */
public sealed interface IntakeDecision {

  /** Never processable: dead-letter it with the reason, then ack. */
  record Reject(String reason) implements IntakeDecision {}

  /** Someone else runs or ran this job: ack and drop. */
  record Duplicate(String why) implements IntakeDecision {}

  /** Another job holds the target; the job was handed back to the command relay: ack. */
  record TargetBusy(String holder) implements IntakeDecision {}

  /** This worker owns the job now: ack, then run it. */
  record Claimed(ClaimedJob job) implements IntakeDecision {}
}
