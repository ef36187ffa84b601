/** Named backup targets, configured by operators; commands name a target, never an address. */
@NullMarked
package io.kanbu.backup.worker.target;

import org.jspecify.annotations.NullMarked;
