package io.kanbu.backup.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.support.GatewayClient;
import io.kanbu.backup.gateway.support.GatewayIntegrationTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The gateway's side of "one id finds everything": the line that queues a job carries its id. */
@ExtendWith(OutputCaptureExtension.class)
class JobLogIT extends GatewayIntegrationTest {

  @Test
  void aTriggeredJob_isLoggedQueued_withItsIdInTheMdc(CapturedOutput output) {
    GatewayClient client = new GatewayClient(port);

    HttpResponse<String> response =
        client.send(client.postJson("/api/backup/trigger", "{\"type\":\"database\"}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String jobId = GatewayClient.json(response).get("jobId").asString();
    assertThat(output.getOut().lines().filter(l -> l.contains("job " + jobId + " QUEUED")))
        .singleElement()
        .satisfies(line -> assertThat(line).contains("[job=" + jobId + "]"));
  }
}
