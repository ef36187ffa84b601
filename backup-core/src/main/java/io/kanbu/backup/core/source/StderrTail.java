package io.kanbu.backup.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a process's stderr to the end on its own thread and keeps only the last {@code capacity}
 * bytes, so a chatty child can neither block on a full pipe nor exhaust memory. Used for pg_dump
 * and, by the restore, for psql.
 */
public final class StderrTail {

  private final byte[] ring;
  private final Thread reader;
  private long total;
  private boolean truncated;

  public StderrTail(InputStream stderr, int capacity, String threadName) {
    this.ring = new byte[capacity];
    this.reader =
        Thread.ofPlatform()
            .name(threadName)
            .daemon(true)
            .start(
                () -> {
                  byte[] buf = new byte[8192];
                  try (stderr) {
                    int n;
                    while ((n = stderr.read(buf)) >= 0) {
                      append(buf, n);
                    }
                  } catch (IOException e) {
                    // the process ended or was destroyed; what we have is the tail
                  }
                });
  }

  private synchronized void append(byte[] buf, int n) {
    for (int i = 0; i < n; i++) {
      ring[(int) (total % ring.length)] = buf[i];
      total++;
    }
    if (total > ring.length) {
      truncated = true;
    }
  }

  /** Waits (bounded) for the reader to reach the end of the stream. */
  public void await(long millis) {
    try {
      reader.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The captured tail as text, trimmed; prefixed with "..." if earlier output was dropped. */
  public synchronized String text() {
    int length = (int) Math.min(total, ring.length);
    byte[] out = new byte[length];
    long start = total - length;
    for (int i = 0; i < length; i++) {
      out[i] = ring[(int) ((start + i) % ring.length)];
    }
    String text = new String(out, StandardCharsets.UTF_8).strip();
    return truncated ? "..." + text : text;
  }
}
