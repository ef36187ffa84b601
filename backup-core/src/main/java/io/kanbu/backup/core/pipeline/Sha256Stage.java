package io.kanbu.backup.core.pipeline;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/** Computes the SHA-256 of the bytes that pass; the result is lowercase hex. */
public final class Sha256Stage implements ObservingStage<String> {

  private final MessageDigest digest;
  private @Nullable String hex;

  public Sha256Stage() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  @Override
  public OutputStream wrap(OutputStream next) {
    return new FilterOutputStream(next) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
      }

      @Override
      public void close() throws IOException {
        super.close();
        if (hex == null) {
          hex = HexFormat.of().formatHex(digest.digest());
        }
      }
    };
  }

  @Override
  public String result() {
    if (hex == null) {
      throw new IllegalStateException("sha-256 read before its stream was closed");
    }
    return hex;
  }
}
