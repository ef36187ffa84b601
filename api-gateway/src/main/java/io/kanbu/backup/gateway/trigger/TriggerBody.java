package io.kanbu.backup.gateway.trigger;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The JSON body of {@code POST /api/backup/trigger}, as documented in the OpenAPI document. The
 * controller reads the body itself (see {@link TriggerRequestParser}) so that every mistake is
 * answered with a message naming the field.
 *
 * @param type what to back up
 * @param target the name of a configured target
 */
@Schema(name = "TriggerBody", description = "What to back up. Unknown fields are refused.")
public record TriggerBody(
    @Schema(
            description =
                "What to back up: the database, the source tree, or both as one recovery point"
                    + " (answered with both jobs).",
            allowableValues = {"database", "source", "all"},
            requiredMode = Schema.RequiredMode.REQUIRED)
        String type,
    @Schema(
            description = "Name of a configured target.",
            defaultValue = "default",
            requiredMode = Schema.RequiredMode.NOT_REQUIRED)
        @Nullable String target) {}
