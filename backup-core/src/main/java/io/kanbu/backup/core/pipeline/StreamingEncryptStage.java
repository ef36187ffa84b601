package io.kanbu.backup.core.pipeline;

import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;

/**
 * The encrypting transforming stage: writes the envelope header to the next stage at once, then
 * Tink streaming-AEAD segments of what it is given (the backup id is the associated data). Closing
 * it writes the final segment and closes the next stage. Format: {@code docs/backup-format.md}.
 */
public final class StreamingEncryptStage implements PipelineStage {

  private final EnvelopeEncryption encryption;
  private final UUID backupId;

  public StreamingEncryptStage(EnvelopeEncryption encryption, UUID backupId) {
    if (!encryption.canEncrypt()) {
      throw new IllegalArgumentException("the keyring has no primary key to encrypt with");
    }
    this.encryption = encryption;
    this.backupId = backupId;
  }

  @Override
  public OutputStream wrap(OutputStream next) throws IOException {
    return encryption.encrypt(next, backupId);
  }
}
