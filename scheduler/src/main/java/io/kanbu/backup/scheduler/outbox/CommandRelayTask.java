package io.kanbu.backup.scheduler.outbox;

import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Periodically publishes the commands of queued jobs the broker never confirmed (jobs created while
 * the broker was down, and jobs the lease reaper re-queued), and, less often, those of jobs still
 * queued long after their confirm (a command dead-lettered during a catalog outage).
 */
@Component
public class CommandRelayTask {

  private static final Logger log = LoggerFactory.getLogger(CommandRelayTask.class);

  private final CommandOutboxRelay relay;

  CommandRelayTask(CommandOutboxRelay relay) {
    this.relay = relay;
  }

  /**
   * One relay run.
   *
   * @return how many commands the broker confirmed
   */
  public int relayPending() {
    int relayed = relay.relayPending();
    if (relayed > 0) {
      log.debug("relayed {} pending command(s)", relayed);
    }
    return relayed;
  }

  /**
   * Publishes again the commands of jobs still queued {@code staleAfter} after their confirm.
   *
   * @return how many commands the broker confirmed
   */
  public int relayStale(Duration staleAfter) {
    return relay.relayStale(staleAfter);
  }
}
