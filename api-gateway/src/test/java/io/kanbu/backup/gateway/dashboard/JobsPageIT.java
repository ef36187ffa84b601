package io.kanbu.backup.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.gateway.support.DashboardSession;
import io.kanbu.backup.gateway.support.GatewayIntegrationTest;
import io.kanbu.backup.gateway.support.GatewayTestEnvironment;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Jobs pages show a running job's stage and the bytes its stage has read, as its worker wrote
 * them to the catalog; the list and the job's page are what their live updates re-render.
 */
class JobsPageIT extends GatewayIntegrationTest {

  @Autowired BackupJobRepository jobs;
  @Autowired TransactionTemplate transactions;

  @Test
  void runningRestore_showsItsStageAndBytes_inTheListAndOnItsPage() {
    String target = "jobs-page-" + GatewayTestEnvironment.randomHex(4);
    UUID id = UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    transactions.executeWithoutResult(
        tx -> {
          jobs.saveAndFlush(
              BackupJob.queued(
                  id, JobType.RESTORE_DATABASE, target, TriggerSource.API, "it", null, 3, now));
          jobs.claim(id, "it-worker", now.plus(Duration.ofHours(1)), now);
          jobs.recordStage(
              id, "it-worker", "committing", now, 3L * 1024 * 1024, now.plusSeconds(3));
        });
    DashboardSession session = new DashboardSession(port);
    session.login(GatewayTestEnvironment.ADMIN_USERNAME, GatewayTestEnvironment.ADMIN_PASSWORD);

    String list = session.get("/jobs").body();
    int row = list.indexOf("/jobs/" + id);
    assertThat(row).as("the running job is listed").isNotNegative();
    assertThat(list.substring(row, list.indexOf("</tr>", row)))
        .contains("class=\"progress-stage\">committing<")
        .contains("3.0 MiB read at 1.0 MiB/s");

    String page = session.get("/jobs/" + id).body();
    assertThat(page).contains("id=\"job-stage\">committing<").contains("3.0 MiB");
  }
}
