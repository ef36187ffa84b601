package io.kanbu.backup.gateway.backups;

import io.kanbu.backup.core.storage.StorageBackend;
import java.io.InputStream;
import org.springframework.core.io.AbstractResource;

/**
 * A backup object as a Spring {@link org.springframework.core.io.Resource}: the stream is opened
 * from storage only when the response is written, and copied to the client in small chunks, never
 * buffered whole. Each {@link #getInputStream()} opens a fresh stream, so range requests work.
 */
final class StoredObjectResource extends AbstractResource {

  private final StorageBackend storage;
  private final String key;
  private final long size;
  private final String fileName;

  StoredObjectResource(StorageBackend storage, String key, long size, String fileName) {
    this.storage = storage;
    this.key = key;
    this.size = size;
    this.fileName = fileName;
  }

  @Override
  public InputStream getInputStream() {
    return storage.open(key);
  }

  @Override
  public long contentLength() {
    // The default would read the whole stream to count it.
    return size;
  }

  @Override
  public boolean exists() {
    return true;
  }

  @Override
  public boolean isReadable() {
    return true;
  }

  @Override
  public String getFilename() {
    return fileName;
  }

  @Override
  public String getDescription() {
    return "backup object '" + fileName + "' in storage '" + storage.name() + "'";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredObjectResource that
        && that.storage == storage
        && that.key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }
}
