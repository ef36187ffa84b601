package io.kanbu.backup.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What docker-compose.yml promises, read from the file and the files it mounts: the services and
 * their replicas, the monitoring profile with the alert rules and the dashboard, the broker's
 * plugins and consumer timeout, the backups volume, and scrape targets on the ports the apps listen
 * on. {@code .ci/run} checks the syntax with {@code docker-compose config} and {@code promtool
 * check config}; this checks that the pieces fit together.
 */
class DeploymentFilesTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final long RABBITMQ_DEFAULT_CONSUMER_TIMEOUT_MS = 30 * 60 * 1000;

  private final Map<String, Object> compose = yaml("docker-compose.yml");
  private final Map<String, Object> services = map(compose.get("services"));

  @Test
  void compose_runsTheWholeSystem_withTwoSchedulersAndTwoWorkers() {
    assertThat(services)
        .containsKeys("postgres", "rabbitmq", "gateway", "scheduler", "worker", "prometheus");
    assertThat(replicas("worker")).isEqualTo(2);
    assertThat(replicas("scheduler")).isEqualTo(2);
    for (String app : List.of("gateway", "scheduler", "worker")) {
      String dockerfile = (String) map(service(app).get("build")).get("dockerfile");
      assertThat(REPOSITORY.resolve(dockerfile)).as("%s's Dockerfile", app).isRegularFile();
      assertThat(service(app)).as("%s runs by default", app).doesNotContainKey("profiles");
    }
  }

  @Test
  void monitoringProfile_provisionsPrometheusWithTheAlerts_andGrafanaWithTheDashboard() {
    assertThat(service("prometheus").get("profiles")).isEqualTo(List.of("monitoring"));
    assertThat(service("grafana").get("profiles")).isEqualTo(List.of("monitoring"));
    assertThat(mounts("prometheus"))
        .containsEntry("/etc/prometheus/alerts.yml", "./deploy/prometheus/alerts.yml")
        .containsEntry("/etc/prometheus/prometheus.yml", "./deploy/prometheus/prometheus.yml");
    Map<String, Object> prometheus = yaml("deploy/prometheus/prometheus.yml");
    // rule files are relative to prometheus.yml, which sits beside alerts.yml in both places
    assertThat(prometheus.get("rule_files")).isEqualTo(List.of("alerts.yml"));

    Map<String, String> grafana = mounts("grafana");
    Map<String, Object> provider =
        map(
            list(yaml("deploy/grafana/provisioning/dashboards/kanbu-backup.yml").get("providers"))
                .getFirst());
    String dashboardDir = (String) map(provider.get("options")).get("path");
    assertThat(grafana)
        .containsEntry("/etc/grafana/provisioning", "./deploy/grafana/provisioning")
        .containsEntry(
            dashboardDir + "/backup-dashboard.json", "./deploy/grafana/backup-dashboard.json");
    Map<String, Object> datasource =
        map(
            list(yaml("deploy/grafana/provisioning/datasources/prometheus.yml").get("datasources"))
                .getFirst());
    assertThat(datasource).containsEntry("url", "http://prometheus:9090");
    assertThat(datasource).containsEntry("isDefault", true);
  }

  @Test
  void prometheus_scrapesEveryAppOnThePortItListensOn_andTheBroker() {
    Map<String, String> scraped = new java.util.HashMap<>();
    for (Object job : list(yaml("deploy/prometheus/prometheus.yml").get("scrape_configs"))) {
      Map<String, Object> config = map(job);
      scraped.put((String) config.get("job_name"), scrapeAddress(config));
    }
    assertThat(scraped)
        .containsEntry("kanbu-gateway", "gateway:" + serverPort("gateway"))
        .containsEntry("kanbu-worker", "worker:" + serverPort("worker"))
        .containsEntry("kanbu-scheduler", "scheduler:" + serverPort("scheduler"))
        .containsEntry("rabbitmq", "rabbitmq:15692");
  }

  @Test
  void rabbitmq_hasTheManagementAndPrometheusPlugins_andARaisedConsumerTimeout()
      throws IOException {
    Map<String, String> mounts = mounts("rabbitmq");
    assertThat(mounts)
        .containsEntry("/etc/rabbitmq/enabled_plugins", "./deploy/rabbitmq/enabled_plugins")
        .containsEntry("/etc/rabbitmq/conf.d/20-kanbu.conf", "./deploy/rabbitmq/20-kanbu.conf");
    assertThat(Files.readString(REPOSITORY.resolve("deploy/rabbitmq/enabled_plugins")).strip())
        .isEqualTo("[rabbitmq_management,rabbitmq_prometheus].");
    String conf = Files.readString(REPOSITORY.resolve("deploy/rabbitmq/20-kanbu.conf"));
    Matcher timeout = Pattern.compile("(?m)^consumer_timeout = (\\d+)$").matcher(conf);
    assertThat(timeout.find()).as("consumer_timeout set in 20-kanbu.conf").isTrue();
    assertThat(Long.parseLong(timeout.group(1)))
        .isGreaterThan(RABBITMQ_DEFAULT_CONSUMER_TIMEOUT_MS);
    assertThat(conf)
        .containsPattern("(?m)^prometheus\\.tcp\\.port = 15692$")
        .containsPattern("(?m)^prometheus\\.return_per_object_metrics = true$");
  }

  @Test
  void workersWriteBackupsToTheVolume_theGatewayReadsThemFromIt() {
    assertThat(map(compose.get("volumes"))).containsKey("backups");
    assertThat(mounts("worker"))
        .containsEntry((String) environment("worker").get("BACKUP_LOCAL_PATH"), "backups");
    assertThat(list(service("gateway").get("volumes")))
        .contains("backups:" + environment("gateway").get("BACKUP_LOCAL_PATH") + ":ro");
  }

  @Test
  void everyFileTheComposeFileMounts_existsInTheRepository() {
    List<String> sources = new ArrayList<>();
    for (String name : services.keySet()) {
      mounts(name).values().stream().filter(s -> s.startsWith("./")).forEach(sources::add);
    }
    assertThat(sources).isNotEmpty();
    for (String source : sources) {
      assertThat(REPOSITORY.resolve(source).normalize()).as(source).exists();
    }
  }

  private Map<String, Object> service(String name) {
    assertThat(services).as("services").containsKey(name);
    return map(services.get(name));
  }

  private int replicas(String name) {
    return (Integer) map(service(name).get("deploy")).get("replicas");
  }

  private Map<String, Object> environment(String name) {
    return map(service(name).get("environment"));
  }

  private int serverPort(String name) {
    return Integer.parseInt((String) environment(name).get("SERVER_PORT"));
  }

  /** Container path → source (a named volume or a path), of a service's short-syntax volumes. */
  private Map<String, String> mounts(String name) {
    Map<String, String> mounts = new java.util.LinkedHashMap<>();
    Object volumes = service(name).get("volumes");
    if (volumes == null) {
      return mounts;
    }
    for (Object volume : list(volumes)) {
      String[] parts = ((String) volume).split(":");
      mounts.put(parts[1], parts[0]);
    }
    return mounts;
  }

  private static String scrapeAddress(Map<String, Object> config) {
    if (config.containsKey("static_configs")) {
      return (String)
          list(map(list(config.get("static_configs")).getFirst()).get("targets")).getFirst();
    }
    Map<String, Object> dns = map(list(config.get("dns_sd_configs")).getFirst());
    return list(dns.get("names")).getFirst() + ":" + dns.get("port");
  }

  private static Map<String, Object> yaml(String file) {
    try {
      return new Yaml().load(Files.readString(REPOSITORY.resolve(file)));
    } catch (IOException e) {
      throw new IllegalStateException("unable to read " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<Object>) value;
  }
}
