package io.kanbu.backup.core.storage.gdrive;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.services.drive.DriveScopes;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageBackendContractTest;
import io.kanbu.backup.core.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract, and the Drive-specific paths (resume after a failed chunk, 429 with
 * Retry-After, an expired token, pagination), against {@link FakeDrive} through the real Google
 * client.
 */
class GoogleDriveStorageBackendTest extends StorageBackendContractTest {

  static final String FOLDER = "folder-kanbu";
  static final int CHUNK = 256 * 1024;
  private static final PrivateKey KEY = privateKey();

  private FakeDrive fake;

  @Override
  protected StorageBackend createEmptyBackend() throws Exception {
    fake = new FakeDrive();
    return backend(fake);
  }

  static GoogleDriveStorageBackend backend(FakeDrive fake) {
    ServiceAccountCredentials credentials =
        ServiceAccountCredentials.newBuilder()
            .setClientEmail("kanbu-backup@test.iam.gserviceaccount.com")
            .setClientId("kanbu")
            .setPrivateKey(KEY)
            .setPrivateKeyId("key-1")
            .setTokenServerUri(URI.create(fake.tokenUrl()))
            .setScopes(List.of(DriveScopes.DRIVE))
            .build();
    DriveClients.Settings settings =
        new DriveClients.Settings(
            fake.rootUrl(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(20),
            5,
            Duration.ofMillis(20));
    return new GoogleDriveStorageBackend(
        DriveClients.drive(credentials, settings), FOLDER, null, CHUNK);
  }

  @AfterEach
  void stopFake() {
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  void aChunkThatFailsHalfway_resumesFromTheLastAcknowledgedByte() throws IOException {
    byte[] content = random(3 * CHUNK + 1234);
    fake.failChunk(2);

    StoredObject stored = backend.put("big/object", out -> out.write(content));

    assertThat(stored.size()).isEqualTo(content.length);
    assertThat(read(backend.open("big/object"))).isEqualTo(content);
    assertThat(fake.statusQueries()).as("the client asked how much arrived").isPositive();
  }

  @Test
  void rateLimits_areWaitedOutWithRetryAfter() throws IOException {
    fake.rateLimit(2, 1);
    long started = System.nanoTime();

    backend.put("limited/object", out -> out.write(new byte[] {1, 2, 3}));

    assertThat(fake.rateLimited()).isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(read(backend.open("limited/object"))).containsExactly(1, 2, 3);
  }

  @Test
  void anExpiredToken_isRefreshedAndTheCallRepeated() {
    backend.put("t/one", out -> out.write(1));
    int issued = fake.tokensIssued();
    fake.expireTokens();

    assertThat(backend.stat("t/one")).isPresent();
    assertThat(fake.tokensIssued()).isGreaterThan(issued);
  }

  @Test
  void listing_readsEveryPage_andIgnoresFilesThatAreNotObjects() {
    for (int i = 0; i < 7; i++) {
      int n = i;
      backend.put("p/obj-" + n, out -> out.write(n));
    }
    fake.addFile("notes.txt", FOLDER, Map.of(), new byte[] {9});

    assertThat(backend.list("p/")).extracting(StoredObject::key).hasSize(7).startsWith("p/obj-0");
    assertThat(backend.list("")).hasSize(7);
  }

  @Test
  void objectsCarryTheirKeyInAppProperties_andTheLastPartAsName() {
    backend.put("default/database/kanbu_backup_x.sql.gz", out -> out.write(1));

    assertThat(fake.files())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.name()).isEqualTo("kanbu_backup_x.sql.gz");
              assertThat(f.appProperties())
                  .containsEntry("kanbuKey", "default/database/kanbu_backup_x.sql.gz");
              assertThat(f.parents()).containsExactly(FOLDER);
            });
  }

  private static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  private static PrivateKey privateKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair().getPrivate();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
