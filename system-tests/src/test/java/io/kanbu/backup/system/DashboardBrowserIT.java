package io.kanbu.backup.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.testing.ExternalServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through chromium-driver) against
 * the gateway and a worker running as processes on the real PostgreSQL and RabbitMQ: log in, back
 * up a database and watch it succeed without reloading, download it, be refused a restore until the
 * database name is typed, see a schedule's next fire times while typing, delete a backup after a
 * confirmation that says what will be lost, and a viewer who sees no download, restore or delete
 * and gets 403 from their URLs. Screenshots of every page land in {@code
 * target/dashboard-screenshots}.
 */
@ExtendWith(ExternalServices.class)
class DashboardBrowserIT {

  private static final String SUFFIX = System.getProperty("kanbu.it.worker-suffix", "");
  private static final String SOURCE = "kanbu_st_dash_source" + SUFFIX;
  private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
  private static final String VIEWER = "viewer";
  private static final String VIEWER_PASSWORD = "viewer-" + UUID.randomUUID();
  private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TempDir static Path storage;
  @TempDir static Path browserProfile;
  private static KanbuSystem system;
  private static WebDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
    pg.recreateDatabase(SOURCE);
    try (Connection c = pg.connect(SOURCE);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL)");
      s.execute("INSERT INTO note (body) SELECT 'note ' || g FROM generate_series(1, 500) g");
    }
    system =
        new KanbuSystem("kanbu_st_dash_catalog" + SUFFIX, SOURCE, storage)
            .withEnv("RABBITMQ_VHOST", ExternalServices.rabbitmq().vhost())
            .withEnv("BACKUP_ADMIN_USERNAME", "admin")
            .withEnv("BACKUP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    system.startGateway();
    system.startWorker("worker-dashboard" + SUFFIX);
    KanbuSystem.Response viewer =
        system.post(
            "/api/v1/users",
            "{\"username\":\""
                + VIEWER
                + "\",\"password\":\""
                + VIEWER_PASSWORD
                + "\",\"role\":\"VIEWER\"}");
    assertThat(viewer.status()).as(viewer.raw()).isEqualTo(201);

    Files.createDirectories(SCREENSHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--user-data-dir=" + browserProfile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (system != null) {
      system.close();
    }
  }

  @Test
  void anAdministratorBacksUpDownloadsRestoresAndSchedules_andAViewerOnlyLooks() throws Exception {
    logIn("admin", ADMIN_PASSWORD);
    screenshot("overview");

    // Back up the database from the Overview; the job page follows it by server-sent events.
    browser.findElement(By.id("backup-default")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("job-status")));
    ((JavascriptExecutor) browser).executeScript("window.kanbuNotReloaded = true;");
    wait.until(ExpectedConditions.textToBe(By.id("job-status"), "SUCCEEDED"));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.kanbuNotReloaded"))
        .as("the status changed without a reload")
        .isEqualTo(true);
    screenshot("job");

    // Its backup: download it with the browser's session.
    browser.findElement(By.cssSelector("a.backup-link")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("download")));
    screenshot("backup");
    String downloadUrl = browser.findElement(By.id("download")).getAttribute("href");
    HttpResponse<byte[]> download = get(downloadUrl, sessionCookie());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).startsWith((byte) 0x1f, (byte) 0x8b); // gzip
    String backupPath = URI.create(downloadUrl).getPath().replace("/download", "");

    // Restore: the start button stays disabled until the name is typed; a wrong name is refused.
    browser.findElement(By.id("restore")).click();
    WebElement confirm = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
    screenshot("restore");
    WebElement start = browser.findElement(By.id("start-restore"));
    assertThat(start.isEnabled()).isFalse();
    confirm.sendKeys("not-the-database");
    assertThat(start.isEnabled()).isFalse();
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('start-restore').disabled = false;");
    start.click();
    browser.switchTo().alert().accept();
    WebElement refused =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("flash-error")));
    assertThat(refused.getText()).contains("'confirm' must be the name of the database");
    confirm = browser.findElement(By.id("confirm"));
    confirm.clear();
    confirm.sendKeys(SOURCE);
    start = browser.findElement(By.id("start-restore"));
    assertThat(start.isEnabled()).isTrue();
    start.click();
    browser.switchTo().alert().accept();
    wait.until(ExpectedConditions.textToBe(By.id("job-status"), "SUCCEEDED"));
    screenshot("restore-job");

    // A schedule: the description and next fire times appear while typing.
    browser.get(system.gatewayUrl() + "/schedules");
    browser.findElement(By.id("schedule-name")).sendKeys("nightly");
    browser.findElement(By.id("schedule-cron")).sendKeys("30 2 * * *");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#next-fire-times li"), 5));
    assertThat(browser.findElement(By.id("next-fire-times")).getText()).contains("02:30:00");
    screenshot("schedules-preview");
    browser.findElement(By.id("create-schedule")).click();
    WebElement created = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("flash")));
    assertThat(created.getText()).contains("Schedule 'nightly' created");
    assertThat(browser.findElement(By.id("schedule-list")).getText()).contains("nightly");

    // Editing it: its form has cron help of its own while typing, and saving says what changed.
    WebElement nightly = browser.findElement(By.cssSelector("tr[data-schedule='nightly']"));
    nightly.findElement(By.tagName("summary")).click();
    WebElement editCron = nightly.findElement(By.cssSelector("input[name='cron']"));
    editCron.clear();
    editCron.sendKeys("45 4 * * *");
    wait.until(
        d ->
            nightly.findElements(By.cssSelector("ol[id$='-next-fire-times'] li")).size() == 5
                && nightly
                    .findElement(By.cssSelector("ol[id$='-next-fire-times']"))
                    .getText()
                    .contains("04:45:00"));
    new org.openqa.selenium.support.ui.Select(
            nightly.findElement(By.cssSelector("select[name='enabled']")))
        .selectByValue("false");
    screenshot("schedule-edit");
    nightly.findElement(By.cssSelector("button[id^='save-']")).click();
    assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("flash"))).getText())
        .contains("Schedule 'nightly' saved (cron, enabled)");
    assertThat(browser.findElement(By.id("schedule-list")).getText())
        .contains("45 4 * * *", "paused");

    // Retention: the preview says what a policy would keep and delete while it is typed.
    browser.findElement(By.id("keep-last")).sendKeys("1");
    WebElement plan =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("retention-plan")));
    // Two backups now: the one made above and the restore's safety backup.
    assertThat(plan.getText())
        .contains("1 kept, 1 would be deleted", "keepLast=1", "delete: beyond keepLast=1");
    screenshot("schedules");
    browser.findElement(By.id("save-retention")).click();
    assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("flash"))).getText())
        .contains("Retention policy of 'default' (database) saved");
    assertThat(browser.findElement(By.id("policy-list")).getText()).contains("keepLast=1");

    for (String page : List.of("jobs", "backups", "notifications", "charts", "audit", "users")) {
      browser.get(system.gatewayUrl() + "/" + page);
      assertThat(browser.findElement(By.tagName("h1")).getText()).isNotBlank();
      screenshot(page);
    }
    assertThat(browser.findElement(By.id("user-list")).getText()).contains(VIEWER);

    // A phone-sized screen: the pages reflow instead of overflowing sideways.
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    for (String page : List.of("", "jobs", "backups")) {
      browser.get(system.gatewayUrl() + "/" + page);
      // Wide tables scroll inside their own box; the page itself never scrolls sideways.
      Object overflow =
          ((JavascriptExecutor) browser)
              .executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1");
      assertThat(overflow).as("/" + page + " scrolls sideways on a phone").isEqualTo(false);
      screenshot("phone-" + (page.isEmpty() ? "overview" : page));
    }
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
    browser.get(system.gatewayUrl() + "/audit?action=restore&outcome=FAILED");
    assertThat(browser.findElement(By.id("audit-list")).getText())
        .as("the refused restore is audited as failed, with the reason")
        .contains("POST /restore/{id}", "admin", "FAILED", "'confirm' must be the name");
    browser.get(system.gatewayUrl() + "/audit?action=download");
    assertThat(browser.findElement(By.id("audit-list")).getText())
        .contains("GET /backups/{id}/download", "SUCCESS");

    // Delete the first backup: the confirmation says what will be lost and wants the file name.
    browser.get(system.gatewayUrl() + backupPath);
    String fileName = browser.findElement(By.tagName("h1")).getText();
    assertThat(browser.findElement(By.id("copies-state")).getText())
        .isEqualTo("complete: 1 of 1 copies");
    browser.findElement(By.id("delete")).click();
    WebElement typedName =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-delete-name")));
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("What will be lost", fileName, "storage local", "Pinned", "cannot be undone");
    screenshot("delete-confirmation");
    WebElement deleteButton = browser.findElement(By.id("confirm-delete"));
    assertThat(deleteButton.isEnabled()).isFalse();
    typedName.sendKeys(fileName);
    assertThat(deleteButton.isEnabled()).isTrue();
    deleteButton.click();
    WebElement deletionQueued =
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("flash")));
    assertThat(deletionQueued.getText()).contains("Deletion of " + fileName + " queued");
    assertThat(browser.findElement(By.id("flash-link")).getAttribute("href")).contains("/jobs/");
    wait.until(
        d -> {
          d.navigate().refresh();
          return d.findElement(By.id("backup-status")).getText().startsWith("DELETED");
        });
    assertThat(browser.findElement(By.id("backup-deletion")).getText())
        .contains("on request of 'admin'");
    assertThat(browser.findElement(By.id("copies-state")).getText())
        .isEqualTo("Every copy was deleted.");
    assertThat(browser.findElements(By.cssSelector("#delete, #download, #restore, #verify")))
        .as("nothing left to delete, download, restore or verify")
        .isEmpty();
    screenshot("backup-deleted");

    // A viewer sees the backup but no download, restore or delete, and is refused their URLs.
    browser.findElement(By.id("logout")).click();
    logIn(VIEWER, VIEWER_PASSWORD);
    browser.get(system.gatewayUrl() + "/backups");
    assertThat(browser.findElement(By.id("backup-list")).getText()).contains("default");
    assertThat(browser.findElements(By.cssSelector(".download-link, .restore-link, .delete-link")))
        .isEmpty();
    browser.get(system.gatewayUrl() + backupPath);
    assertThat(browser.findElements(By.id("download"))).isEmpty();
    assertThat(browser.findElements(By.id("verify"))).isEmpty();
    screenshot("viewer-backup");
    Cookie viewerSession = sessionCookie();
    assertThat(get(downloadUrl, viewerSession).statusCode()).isEqualTo(403);
    assertThat(
            get(system.gatewayUrl() + backupPath.replace("/backups/", "/restore/"), viewerSession)
                .statusCode())
        .isEqualTo(403);
    assertThat(get(system.gatewayUrl() + "/users", viewerSession).statusCode()).isEqualTo(403);
    assertThat(get(system.gatewayUrl() + backupPath + "/delete", viewerSession).statusCode())
        .isEqualTo(403);
  }

  private static void logIn(String username, String password) {
    browser.get(system.gatewayUrl() + "/login");
    screenshot("login");
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("current-user")));
    assertThat(browser.findElement(By.id("current-user")).getText()).isEqualTo(username);
  }

  private static Cookie sessionCookie() {
    Cookie cookie = browser.manage().getCookieNamed("KANBU_SESSION");
    assertThat(cookie).as("the session cookie").isNotNull();
    assertThat(cookie.isHttpOnly()).isTrue();
    return cookie;
  }

  private static HttpResponse<byte[]> get(String url, Cookie session)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Cookie", session.getName() + "=" + session.getValue())
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void screenshot(String name) {
    try {
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(
          shot,
          SCREENSHOTS.resolve(name + ".png"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
