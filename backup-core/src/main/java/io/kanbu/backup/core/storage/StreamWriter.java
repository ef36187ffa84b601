package io.kanbu.backup.core.storage;

import java.io.IOException;
import java.io.OutputStream;

/** Writes an object's content. It must not close {@code out}; closing it is harmless, though. */
@FunctionalInterface
public interface StreamWriter {

  void writeTo(OutputStream out) throws IOException;
}
