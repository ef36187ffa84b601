package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageCapabilities;
import io.kanbu.backup.core.storage.StoredObject;
import io.kanbu.backup.core.storage.StreamWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A storage decorator for one running job's progress: counts the bytes read from the objects it
 * opens, and optionally runs an action once after its first successful put. Behaves exactly as the
 * storage it wraps otherwise.
 */
final class ProgressCountingStorage implements StorageBackend {

  private final StorageBackend storage;
  private final AtomicLong read;
  private final @Nullable Runnable afterFirstPut;
  private final AtomicBoolean put = new AtomicBoolean();

  ProgressCountingStorage(
      StorageBackend storage, AtomicLong read, @Nullable Runnable afterFirstPut) {
    this.storage = storage;
    this.read = read;
    this.afterFirstPut = afterFirstPut;
  }

  @Override
  public StoredObject put(String key, StreamWriter writer) {
    return stored(storage.put(key, writer));
  }

  @Override
  public StoredObject replace(String key, StreamWriter writer) {
    return stored(storage.replace(key, writer));
  }

  private StoredObject stored(StoredObject object) {
    if (afterFirstPut != null && put.compareAndSet(false, true)) {
      afterFirstPut.run();
    }
    return object;
  }

  @Override
  public InputStream open(String key) {
    return new FilterInputStream(storage.open(key)) {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          read.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          read.addAndGet(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        read.addAndGet(skipped);
        return skipped;
      }
    };
  }

  @Override
  public Optional<StoredObject> stat(String key) {
    return storage.stat(key);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return storage.list(prefix);
  }

  @Override
  public void delete(String key) {
    storage.delete(key);
  }

  @Override
  public String name() {
    return storage.name();
  }

  @Override
  public StorageCapabilities capabilities() {
    return storage.capabilities();
  }

  @Override
  public String toString() {
    return storage.toString();
  }
}
