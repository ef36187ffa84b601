package io.kanbu.backup.core.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link StorageBackend}, run against every backend: each backend's test extends
 * this class and supplies a fresh, empty backend.
 */
public abstract class StorageBackendContractTest {

  protected StorageBackend backend;

  /** A new backend with no objects. */
  protected abstract StorageBackend createEmptyBackend() throws Exception;

  @BeforeEach
  void setUpBackend() throws Exception {
    backend = createEmptyBackend();
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  @Test
  void put_thenOpenStatList_seeTheSameContent() throws IOException {
    StoredObject stored =
        backend.put("default/database/a.sql.gz", out -> out.write("hello".getBytes(UTF_8)));

    assertThat(stored.key()).isEqualTo("default/database/a.sql.gz");
    assertThat(stored.size()).isEqualTo(5);
    assertThat(read(backend.open("default/database/a.sql.gz"))).isEqualTo("hello");
    assertThat(backend.stat("default/database/a.sql.gz"))
        .hasValueSatisfying(o -> assertThat(o.size()).isEqualTo(5));
    assertThat(backend.list("default/"))
        .extracting(StoredObject::key)
        .containsExactly("default/database/a.sql.gz");
  }

  @Test
  void put_ofSeveralMegabytes_keepsEveryByte() throws IOException {
    byte[] data = new byte[5 * 1024 * 1024 + 3];
    new Random(42).nextBytes(data);

    backend.put(
        "big/object.bin",
        out -> {
          for (int off = 0; off < data.length; off += 100_000) {
            out.write(data, off, Math.min(100_000, data.length - off));
          }
        });

    try (InputStream in = backend.open("big/object.bin")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void put_ofEmptyObject_isAllowed() {
    StoredObject stored = backend.put("empty", out -> {});
    assertThat(stored.size()).isZero();
    assertThat(backend.stat("empty")).isPresent();
  }

  @Test
  void put_overAnExistingKey_isRefused_andTheOriginalStays() throws IOException {
    backend.put("k/one", out -> out.write("first".getBytes(UTF_8)));

    assertThatThrownBy(() -> backend.put("k/one", out -> out.write("second".getBytes(UTF_8))))
        .isInstanceOf(ObjectAlreadyExistsException.class)
        .hasMessageContaining("'k/one'");
    assertThat(read(backend.open("k/one"))).isEqualTo("first");
  }

  @Test
  void failingWriter_leavesNothingVisible_andItsExceptionPropagates() {
    IOException boom = new IOException("source broke");

    assertThatThrownBy(
            () ->
                backend.put(
                    "k/broken",
                    out -> {
                      out.write(new byte[200_000]);
                      throw boom;
                    }))
        .hasRootCauseMessage("source broke");

    assertThat(backend.stat("k/broken")).isEmpty();
    assertThat(backend.list("")).isEmpty();
    assertThatThrownBy(() -> backend.open("k/broken")).isInstanceOf(ObjectNotFoundException.class);
  }

  @Test
  void writerThrowingUnchecked_leavesNothingVisible_andTheSameExceptionPropagates() {
    IllegalStateException boom = new IllegalStateException("pipeline broke");

    assertThatThrownBy(
            () ->
                backend.put(
                    "k/broken",
                    out -> {
                      out.write(1);
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(backend.list("")).isEmpty();
  }

  @Test
  void replace_swapsTheContentUnderTheSameKey_andTheWriterCanReadTheOldContent()
      throws IOException {
    backend.put("r/object", out -> out.write("old content".getBytes(UTF_8)));

    StoredObject replaced =
        backend.replace(
            "r/object",
            out -> {
              try (InputStream old = backend.open("r/object")) {
                out.write("new, not ".getBytes(UTF_8));
                old.transferTo(out);
              }
            });

    assertThat(replaced.key()).isEqualTo("r/object");
    assertThat(replaced.size()).isEqualTo("new, not old content".length());
    assertThat(read(backend.open("r/object"))).isEqualTo("new, not old content");
    assertThat(backend.stat("r/object"))
        .hasValueSatisfying(o -> assertThat(o.size()).isEqualTo(replaced.size()));
    assertThat(backend.list("r/")).extracting(StoredObject::key).containsExactly("r/object");
  }

  @Test
  void replace_whileTheWriterRuns_readersSeeTheWholeOldObject() throws IOException {
    byte[] old = new byte[3 * 1024 * 1024];
    new Random(3).nextBytes(old);
    backend.put("r/big", out -> out.write(old));
    byte[][] seenWhileWriting = new byte[1][];

    backend.replace(
        "r/big",
        out -> {
          out.write(new byte[2 * 1024 * 1024]);
          out.flush();
          try (InputStream in = backend.open("r/big")) {
            seenWhileWriting[0] = in.readAllBytes();
          }
        });

    assertThat(seenWhileWriting[0]).isEqualTo(old);
    try (InputStream in = backend.open("r/big")) {
      assertThat(in.readAllBytes()).hasSize(2 * 1024 * 1024);
    }
  }

  @Test
  void replace_withAFailingWriter_leavesTheOldObjectUntouched_andItsExceptionPropagates()
      throws IOException {
    backend.put("r/keep", out -> out.write("precious".getBytes(UTF_8)));
    IllegalStateException refused = new IllegalStateException("the new content is not right");

    assertThatThrownBy(
            () ->
                backend.replace(
                    "r/keep",
                    out -> {
                      out.write(new byte[300_000]);
                      throw refused;
                    }))
        .isSameAs(refused);
    assertThatThrownBy(
            () ->
                backend.replace(
                    "r/keep",
                    out -> {
                      out.write(1);
                      throw new IOException("source broke");
                    }))
        .hasRootCauseMessage("source broke");

    assertThat(read(backend.open("r/keep"))).isEqualTo("precious");
    assertThat(backend.list("")).extracting(StoredObject::key).containsExactly("r/keep");
  }

  @Test
  void replace_ofAMissingKey_isRefusedBeforeTheWriterRuns_andCreatesNothing() {
    boolean[] ran = new boolean[1];

    assertThatThrownBy(() -> backend.replace("r/absent", out -> ran[0] = true))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("'r/absent'");

    assertThat(ran[0]).isFalse();
    assertThat(backend.stat("r/absent")).isEmpty();
    assertThat(backend.list("")).isEmpty();
  }

  @Test
  void open_ofMissingKey_throwsObjectNotFound_namingTheKey() {
    assertThatThrownBy(() -> backend.open("nope/missing"))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("'nope/missing'")
        .hasMessageContaining(backend.name());
  }

  @Test
  void stat_ofMissingKey_isEmpty() {
    assertThat(backend.stat("nope/missing")).isEmpty();
  }

  @Test
  void list_filtersByPrefix_andSortsByKey() {
    backend.put("b/2", out -> out.write(1));
    backend.put("a/1", out -> out.write(1));
    backend.put("b/1", out -> out.write(1));
    backend.put("bb/1", out -> out.write(1));

    assertThat(backend.list(""))
        .extracting(StoredObject::key)
        .containsExactly("a/1", "b/1", "b/2", "bb/1");
    assertThat(backend.list("b/")).extracting(StoredObject::key).containsExactly("b/1", "b/2");
    assertThat(backend.list("zzz")).isEmpty();
  }

  @Test
  void delete_removesTheObject_andIsIdempotent() {
    backend.put("d/x", out -> out.write(1));

    backend.delete("d/x");
    backend.delete("d/x");
    backend.delete("never/existed");

    assertThat(backend.stat("d/x")).isEmpty();
    // the key is free again
    backend.put("d/x", out -> out.write(2));
    assertThat(backend.stat("d/x")).isPresent();
  }

  @Test
  void concurrentWritersToDifferentKeys_eachKeepTheirOwnContent() throws Exception {
    int writers = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      java.util.List<java.util.concurrent.Future<StoredObject>> puts = new java.util.ArrayList<>();
      for (int i = 0; i < writers; i++) {
        byte[] content = new byte[300_000 + i];
        new Random(i).nextBytes(content);
        String key = "c/writer-" + i;
        puts.add(pool.submit(() -> backend.put(key, out -> out.write(content))));
      }
      for (java.util.concurrent.Future<StoredObject> put : puts) {
        put.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (int i = 0; i < writers; i++) {
      byte[] expected = new byte[300_000 + i];
      new Random(i).nextBytes(expected);
      try (InputStream in = backend.open("c/writer-" + i)) {
        assertThat(in.readAllBytes()).isEqualTo(expected);
      }
    }
    assertThat(backend.list("c/")).hasSize(writers);
  }

  @Test
  void invalidKeys_areRejected() {
    for (String key :
        new String[] {"", "/abs", "a/../b", "..", "a\\b", "a//b", "a/", "./a", "a\nb"}) {
      assertThatThrownBy(() -> backend.put(key, out -> out.write(1)))
          .as("key %s", key)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> backend.stat(key))
          .as("key %s", key)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> backend.replace(key, out -> out.write(1)))
          .as("key %s", key)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(backend.list("")).isEmpty();
  }

  @Test
  void capabilitiesAndName_areDeclared() {
    assertThat(backend.name()).isNotBlank();
    assertThat(backend.capabilities()).isNotNull();
  }
}
