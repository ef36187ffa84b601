package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.core.webhook.RetrySchedule;
import io.kanbu.backup.core.webhook.WebhookAddressGuard;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import java.util.Set;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The webhook infrastructure of the worker: the SSRF guard, the retry schedule, the HTTP sender,
 * the queues and their listener containers. The fan-out, deliverer, sweep and the environment's
 * endpoint are components of this package.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

  @Bean
  WebhookAddressGuard webhookAddressGuard(WebhookProperties props) {
    return WebhookAddressGuard.system(props.allowHttp(), Set.copyOf(props.allowedHosts()));
  }

  @Bean
  RetrySchedule webhookRetrySchedule(WebhookProperties props) {
    return new RetrySchedule(props.retryScale(), Math::random);
  }

  @Bean(destroyMethod = "close")
  WebhookSender webhookSender(WebhookProperties props) {
    return new WebhookSender(props.connectTimeout(), props.totalTimeout());
  }

  @Bean
  WebhookDelayQueues webhookDelayQueues(WebhookProperties props, ConfirmedPublisher publisher) {
    return new WebhookDelayQueues(props, publisher);
  }

  /** Declared by RabbitAdmin on every (re)connection. */
  @Bean
  Declarables webhookTopology(WebhookDelayQueues queues) {
    return queues.declarables();
  }

  @Bean
  ApplicationListener<ApplicationReadyEvent> environmentWebhookSync(
      EnvironmentWebhookEndpoint endpoint) {
    return event -> endpoint.synchronize();
  }

  /**
   * Consumes the fan-out queue. Automatic acknowledgement: a message is acked when the listener
   * returns and handed out again when it throws (a catalog failure), up to the queue's delivery
   * limit.
   */
  @Bean
  SimpleMessageListenerContainer webhookFanOutListener(
      ConnectionFactory connections, WebhookFanOut fanOut, WebhookProperties props) {
    SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
    container.setQueueNames(props.notificationsQueue());
    container.setAcknowledgeMode(AcknowledgeMode.AUTO);
    container.setPrefetchCount(10);
    // events are independent and fanning one out is idempotent: several at once keep the
    // catalog's and the broker's round trips from adding up one event after another
    container.setConcurrentConsumers(props.fanOutConcurrency());
    container.setDefaultRequeueRejected(true);
    container.setMessageListener(fanOut::onMessage);
    return container;
  }

  /** Consumes the attempts queue with {@code delivery-concurrency} consumers, one message each. */
  @Bean
  SimpleMessageListenerContainer webhookDeliveryListener(
      ConnectionFactory connections, WebhookDeliverer deliverer, WebhookProperties props) {
    SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
    container.setQueueNames(props.deliveriesQueue());
    container.setAcknowledgeMode(AcknowledgeMode.AUTO);
    container.setPrefetchCount(1);
    container.setConcurrentConsumers(props.deliveryConcurrency());
    container.setDefaultRequeueRejected(true);
    container.setMessageListener(deliverer::onMessage);
    return container;
  }
}
