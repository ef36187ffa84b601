package io.kanbu.backup.gateway.verification;

/**
 * Verification counts over the available backups, as the original Kanbu dashboard showed them.
 *
 * @param total available backups
 * @param verified whose last verification passed
 * @param pending never verified
 * @param failed whose last verification failed
 * @param noChecksum files of the original Kanbu imported by a rescan: no checksum was recorded when
 *     they were made (the catalog holds the digests measured when they were imported)
 */
public record BackupStats(long total, long verified, long pending, long failed, long noChecksum) {}
