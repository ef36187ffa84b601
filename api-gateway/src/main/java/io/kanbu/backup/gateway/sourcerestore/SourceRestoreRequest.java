package io.kanbu.backup.gateway.sourcerestore;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/backups/{id}/restore-source}.
 *
 * @param directory the absolute directory on the worker to extract into; empty or not yet existing
 * @param overwriteLiveTree the backup's target name typed again, to allow a directory that is, lies
 *     inside or contains the target's live source tree (it must still be empty)
 */
public record SourceRestoreRequest(
    @Schema(
            description =
                "Absolute directory on the worker to extract into; it must be empty or not exist",
            example = "/srv/restore/app-2026-11-26")
        @Nullable String directory,
    @Schema(
            description =
                "The backup's target name typed again, to allow the target's live source tree, a"
                    + " directory inside it or one containing it (it must still be empty)")
        @Nullable String overwriteLiveTree) {}
