package io.kanbu.backup.core.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A place that keeps backup objects. Every backend passes {@code StorageBackendContractTest}.
 * Objects are written whole ({@link #put}, {@link #replace}) and never modified in part.
 *
 * <p><b>Keys</b> are relative {@code /}-separated paths (see {@link ObjectKeys}); a method given an
 * invalid key throws {@link IllegalArgumentException}. Keys are built from ids, never from user
 * input.
 *
 * <p><b>Errors</b>: failures are {@link io.kanbu.backup.core.BackupException}s; IO problems that
 * may pass are {@link io.kanbu.backup.core.TransientBackupException}s, configuration problems
 * (missing permission, wrong path) {@link io.kanbu.backup.core.PermanentBackupException}s. Drivers
 * never retry on their own; a decorator does.
 *
 * <p><b>Threads</b>: implementations are safe for concurrent use on different keys.
 */
public interface StorageBackend {

  /**
   * Stores a new object. {@code writer} writes the whole content; the object becomes visible under
   * {@code key} atomically and only if the writer returns normally. If the writer or the backend
   * fails, nothing is visible under {@code key}, temporary data is removed, and the writer's
   * exception (or the backend's) propagates.
   *
   * <p>Not idempotent: if {@code key} already holds an object the put is refused with {@link
   * ObjectAlreadyExistsException} before the writer runs, and the existing object is untouched.
   *
   * @return the stored object, with its size as the backend counted it
   */
  StoredObject put(String key, StreamWriter writer);

  /**
   * Replaces the content of an existing object, keeping its key (so names derived from it stay).
   * {@code writer} writes the whole new content; it becomes visible under {@code key} atomically
   * and only if the writer returns normally: a reader sees the old content or the new, never a mix
   * or a part. Until then the old object stays readable under {@code key}, so the writer may read
   * it to rewrite it in one pass. If the writer or the backend fails, the old object is untouched,
   * temporary data is removed, and the writer's exception (or the backend's) propagates; a writer
   * refuses a result by throwing.
   *
   * <p>Refused with {@link ObjectNotFoundException} before the writer runs if {@code key} holds no
   * object: a replace never creates one (that is {@link #put}'s job). Idempotent only in the sense
   * that replacing with the same content leaves the same object. Replaces, puts and deletes of the
   * same key are not ordered against each other; callers that rewrite objects serialize themselves
   * (the {@code REKEY} job holds a catalog lock).
   *
   * @return the stored object, with its new size as the backend counted it
   * @throws ObjectNotFoundException if no object has this key
   */
  StoredObject replace(String key, StreamWriter writer);

  /**
   * Opens an object for reading from its start; the caller closes the stream.
   *
   * @throws ObjectNotFoundException if no object has this key
   */
  InputStream open(String key);

  /** The object under {@code key}, or empty if there is none. Never sees a half-written put. */
  Optional<StoredObject> stat(String key);

  /**
   * Every object whose key starts with {@code prefix} (the empty prefix lists all), sorted by key.
   * Half-written objects are never listed.
   */
  List<StoredObject> list(String prefix);

  /** Removes the object under {@code key}. Idempotent: deleting a missing key does nothing. */
  void delete(String key);

  /** A short name for messages and the catalog, e.g. {@code local}. */
  String name();

  StorageCapabilities capabilities();
}
