package io.kanbu.backup.worker.webhook;

import io.kanbu.backup.core.webhook.RetrySchedule;
import io.kanbu.backup.core.webhook.WebhookAddressGuard;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.catalog.WebhookAttemptRepository;
import io.kanbu.backup.model.catalog.WebhookDeliveryRepository;
import io.kanbu.backup.model.catalog.WebhookEndpointRepository;
import io.kanbu.backup.model.messaging.MessageCodec;
import java.time.Clock;
import java.util.Set;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The webhook delivery beans of the worker, stacked in one place. */
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
  WebhookFanOut webhookFanOut(
      WebhookEndpointRepository endpoints,
      WebhookDeliveryRepository deliveries,
      WebhookDelayQueues queues,
      MessageCodec codec,
      TransactionTemplate transactions,
      Clock clock) {
    return new WebhookFanOut(endpoints, deliveries, queues, codec, transactions, clock);
  }

  @Bean
  WebhookDeliverer webhookDeliverer(
      WebhookDeliveryRepository deliveries,
      WebhookEndpointRepository endpoints,
      WebhookAttemptRepository attempts,
      JobEventRecordRepository events,
      EventOutboxRelay eventRelay,
      MessageCodec codec,
      WebhookAddressGuard guard,
      WebhookSender sender,
      RetrySchedule schedule,
      WebhookDelayQueues queues,
      WebhookProperties props,
      TransactionTemplate transactions,
      Clock clock) {
    return new WebhookDeliverer(
        deliveries,
        endpoints,
        attempts,
        events,
        eventRelay,
        codec,
        guard,
        sender,
        schedule,
        queues,
        props,
        transactions,
        clock);
  }

  @Bean
  WebhookDeliverySweep webhookDeliverySweep(
      WebhookDeliveryRepository deliveries,
      WebhookDelayQueues queues,
      WebhookProperties props,
      TransactionTemplate transactions,
      Clock clock) {
    return new WebhookDeliverySweep(deliveries, queues, props, transactions, clock);
  }

  @Bean
  EnvironmentWebhookEndpoint environmentWebhookEndpoint(
      WebhookEndpointRepository endpoints,
      WebhookProperties props,
      WebhookAddressGuard guard,
      TransactionTemplate transactions,
      Clock clock) {
    return new EnvironmentWebhookEndpoint(endpoints, props, guard, transactions, clock);
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
