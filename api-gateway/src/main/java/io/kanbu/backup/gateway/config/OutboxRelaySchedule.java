package io.kanbu.backup.gateway.config;

import io.kanbu.backup.model.amqp.CommandOutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Runs the command outbox relay periodically. It runs in the gateway too (not only in the
 * scheduler) so that a trigger accepted while the broker was away is published as soon as the
 * broker is back, even when the gateway is the only app running. Concurrent relays in other
 * replicas skip each other's rows.
 */
@Component
public class OutboxRelaySchedule implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelaySchedule.class);

  private final CommandOutboxRelay relay;
  private final GatewayProperties properties;

  public OutboxRelaySchedule(CommandOutboxRelay relay, GatewayProperties properties) {
    this.relay = relay;
    this.properties = properties;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    // A fixed pause between runs, so that slow broker confirms never make runs overlap.
    registrar.addFixedDelayTask(
        new FixedDelayTask(
            this::relayOnce,
            properties.outbox().relayInterval(),
            properties.outbox().relayInterval()));
  }

  private void relayOnce() {
    try {
      relay.relayPending();
    } catch (DataAccessException e) {
      log.warn(
          "unable to relay pending commands: catalog unavailable ({}); will retry", e.toString());
    }
  }
}
