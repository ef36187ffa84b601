/**
 * Which backups a retention policy keeps: restic's {@code forget} rules (last, hourly, daily,
 * weekly, monthly, yearly, within) over the backups of one target and kind, plus the protections no
 * policy overrides (pinned, the newest, the newest verified restorable, in use). Pure: no catalog,
 * no storage, no clock but the one passed in.
 */
@NullMarked
package io.kanbu.backup.core.retention;

import org.jspecify.annotations.NullMarked;
