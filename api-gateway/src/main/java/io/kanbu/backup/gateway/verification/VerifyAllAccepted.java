package io.kanbu.backup.gateway.verification;

import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code POST /api/v1/backups/verify}.
 *
 * @param jobIds one {@code VERIFY} job per backup not yet verified, oldest backup first
 * @param count how many jobs were queued
 */
public record VerifyAllAccepted(List<UUID> jobIds, int count) {}
