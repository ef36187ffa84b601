package io.kanbu.backup.core.storage.gdrive;

import com.google.api.client.http.HttpBackOffIOExceptionHandler;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.BackOff;
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.client.util.Sleeper;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.DriveScopes;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import io.kanbu.backup.core.PermanentBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds the Drive client the storage backend uses: credentials from a service-account key or an
 * OAuth client's authorized-user file (both refreshed by the client during long uploads, also when
 * Drive answers 401), timeouts, and retries with exponential backoff of 429, 5xx and connection
 * failures, honouring {@code Retry-After}. During a resumable upload a retried chunk first asks
 * Drive how much it received, so the upload resumes from the last acknowledged byte.
 */
public final class DriveClients {

  private static final String APPLICATION_NAME = "kanbu-backup";

  private DriveClients() {}

  /**
   * How the client behaves.
   *
   * @param rootUrl the API's root, e.g. {@code https://www.googleapis.com/}; another for tests
   * @param retries how often one request is retried
   * @param initialBackoff the first wait before a retry (doubled each time, with jitter)
   */
  public record Settings(
      @Nullable String rootUrl,
      Duration connectTimeout,
      Duration readTimeout,
      int retries,
      Duration initialBackoff) {

    /** Production settings: Google's endpoint, 20 s connect, 2 min read, 8 retries from 1 s. */
    public static Settings defaults() {
      return new Settings(
          null, Duration.ofSeconds(20), Duration.ofMinutes(2), 8, Duration.ofSeconds(1));
    }
  }

  /**
   * Reads {@code BACKUP_GDRIVE_CREDENTIALS}: a service-account key or an authorized-user file.
   *
   * @throws PermanentBackupException naming the file, never its content
   */
  public static GoogleCredentials credentials(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return GoogleCredentials.fromStream(in).createScoped(List.of(DriveScopes.DRIVE));
    } catch (IOException | RuntimeException e) {
      throw new PermanentBackupException(
          "unable to read Google credentials from '"
              + file
              + "' (BACKUP_GDRIVE_CREDENTIALS): "
              + e.getMessage()
              + "; give the JSON key of a service account or an authorized-user file",
          e);
    }
  }

  /** A Drive client. */
  public static Drive drive(GoogleCredentials credentials, Settings settings) {
    Drive.Builder builder =
        new Drive.Builder(
                new NetHttpTransport(),
                GsonFactory.getDefaultInstance(),
                initializer(credentials, settings, Sleeper.DEFAULT))
            .setApplicationName(APPLICATION_NAME);
    if (settings.rootUrl() != null) {
      builder.setRootUrl(settings.rootUrl());
    }
    return builder.build();
  }

  static HttpRequestInitializer initializer(
      GoogleCredentials credentials, Settings settings, Sleeper sleeper) {
    HttpCredentialsAdapter auth = new HttpCredentialsAdapter(credentials);
    return request -> {
      auth.initialize(request);
      request.setConnectTimeout((int) settings.connectTimeout().toMillis());
      request.setReadTimeout((int) settings.readTimeout().toMillis());
      request.setNumberOfRetries(settings.retries());
      BackOff backOff = backOff(settings);
      request.setUnsuccessfulResponseHandler(
          (req, response, supportsRetry) -> {
            if (auth.handleResponse(req, response, supportsRetry)) {
              return true; // 401: the token was refreshed
            }
            if (!supportsRetry || !retryable(response.getStatusCode())) {
              return false;
            }
            long wait = retryAfterMillis(response);
            if (wait < 0) {
              wait = backOff.nextBackOffMillis();
              if (wait == BackOff.STOP) {
                return false;
              }
            }
            try {
              sleeper.sleep(wait);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
            return true;
          });
      request.setIOExceptionHandler(
          new HttpBackOffIOExceptionHandler(backOff(settings)).setSleeper(sleeper));
    };
  }

  private static BackOff backOff(Settings settings) {
    return new ExponentialBackOff.Builder()
        .setInitialIntervalMillis((int) settings.initialBackoff().toMillis())
        .setMaxIntervalMillis(60_000)
        .setMaxElapsedTimeMillis(15 * 60_000)
        .build();
  }

  private static boolean retryable(int status) {
    return status == 429 || status == 408 || status >= 500;
  }

  /** {@code Retry-After} in seconds, as milliseconds; -1 if absent or not a number. */
  private static long retryAfterMillis(HttpResponse response) {
    Object header = response.getHeaders().get("retry-after");
    String value =
        header instanceof List<?> list && !list.isEmpty()
            ? String.valueOf(list.getFirst())
            : header == null ? null : header.toString();
    if (value == null) {
      return -1;
    }
    try {
      return Math.min(Long.parseLong(value.strip()), 300) * 1000;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
