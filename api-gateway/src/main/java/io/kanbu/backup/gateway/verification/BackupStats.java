package io.kanbu.backup.gateway.verification;

/**
 * Verification counts over the available backups, as the original Kanbu dashboard showed them.
 *
 * @param total available backups
 * @param verified whose last verification passed
 * @param pending never verified
 * @param failed whose last verification failed
 * @param noChecksum without a recorded checksum (imports of legacy files; the catalog requires one
 *     for every backup this system made, so 0 until legacy imports exist)
 */
public record BackupStats(long total, long verified, long pending, long failed, long noChecksum) {}
