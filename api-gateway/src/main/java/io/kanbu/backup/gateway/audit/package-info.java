/** The audit log: who did what, to what, when, from where, and how it ended. */
@NullMarked
package io.kanbu.backup.gateway.audit;

import org.jspecify.annotations.NullMarked;
