package io.kanbu.backup.core.pipeline;

/**
 * What one pass of the {@link BackupPipeline} observed.
 *
 * @param rawBytes bytes read from the source
 * @param compressedBytes bytes after compression
 * @param storedBytes bytes handed to storage (after encryption, when enabled)
 * @param sha256Compressed SHA-256 (hex) of the compressed plaintext
 * @param sha256Stored SHA-256 (hex) of the stored bytes
 */
public record PipelineResult(
    long rawBytes,
    long compressedBytes,
    long storedBytes,
    String sha256Compressed,
    String sha256Stored) {}
