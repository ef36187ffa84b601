package io.kanbu.backup.worker.config;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.kanbu.backup.core.NativeLibrarySetting;
import java.security.Security;
import org.jspecify.annotations.Nullable;

/**
 * Puts the Amazon Corretto Crypto Provider (AWS-LC, native) first among the JVM's security
 * providers, so the pipeline's AES-GCM (Tink's streaming encryption asks the JCE for {@code
 * AES/GCM/NoPadding}), SHA-256 and HMAC run natively. The worker runs C1 only to stay small, and in
 * C1 the JDK's own AES-GCM and SHA-256 run at about 55 and 180 MB/s (their fast paths are C2
 * intrinsics); AWS-LC runs them at GB/s whatever the JIT. The bytes are the same: backups written
 * with either provider are read with the other.
 *
 * <p>{@code BACKUP_NATIVE_CRYPTO}: {@code auto} (default) installs it where it loads (Linux x86-64;
 * elsewhere the JDK's providers serve, with a warning), {@code off} never does. Called from {@code
 * main}, before anything asks for a cipher.
 */
public final class NativeCrypto {

  /** The environment variable. */
  public static final String SETTING = "BACKUP_NATIVE_CRYPTO";

  /** Which providers serve, and why. */
  public enum Status {
    /** The native provider is first. */
    INSTALLED,
    /** {@code BACKUP_NATIVE_CRYPTO=off}: the JDK's providers, as asked. */
    OFF,
    /** The native provider did not load: the JDK's providers, against the setting. */
    UNAVAILABLE,
    /** {@link #install} was not called (an app started without {@code main}, e.g. a test). */
    NOT_APPLIED
  }

  /**
   * What {@link #install} did.
   *
   * @param status which providers serve
   * @param detail a sentence for the log
   */
  public record Outcome(Status status, String detail) {

    /** True when the native provider is first. */
    public boolean installed() {
      return status == Status.INSTALLED;
    }

    /** True when the JDK's providers serve although nobody asked for them. */
    public boolean unexpected() {
      return status == Status.UNAVAILABLE || status == Status.NOT_APPLIED;
    }
  }

  private static volatile Outcome outcome =
      new Outcome(Status.NOT_APPLIED, "the JDK's own providers (" + SETTING + " was not applied)");

  private NativeCrypto() {}

  /**
   * Applies the setting.
   *
   * @param setting the value of {@code BACKUP_NATIVE_CRYPTO}, null or blank for {@code auto}
   * @throws IllegalArgumentException for a value other than {@code auto} or {@code off}
   */
  public static Outcome install(@Nullable String setting) {
    outcome =
        NativeLibrarySetting.wantsNative(SETTING, setting)
            ? installProvider()
            : new Outcome(Status.OFF, SETTING + "=off: the JDK's own providers");
    return outcome;
  }

  /** The outcome of the last {@link #install}, for the start-up log. */
  public static Outcome outcome() {
    return outcome;
  }

  private static Outcome installProvider() {
    try {
      AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
      Throwable error = provider.getLoadingError();
      if (error != null) {
        return unavailable(error);
      }
      provider.assertHealthy();
      AmazonCorrettoCryptoProvider.install();
      return new Outcome(
          Status.INSTALLED,
          "Amazon Corretto Crypto Provider "
              + provider.getVersionStr()
              + " (AWS-LC) serves AES-GCM, SHA-256 and HMAC natively");
    } catch (LinkageError | RuntimeException e) {
      Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
      return unavailable(e);
    }
  }

  private static Outcome unavailable(Throwable why) {
    return new Outcome(
        Status.UNAVAILABLE,
        "the native crypto provider does not load here ("
            + why
            + "); the JDK's own providers serve, slower with C1 only (set "
            + SETTING
            + "=off to silence this)");
  }
}
