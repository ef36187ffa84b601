/**
 * What a storage holds, read from the storage alone: backup objects with their manifests, legacy
 * Kanbu files without one, and what is wrong with the rest. The catalog is rebuilt from this.
 */
@NullMarked
package io.kanbu.backup.core.inventory;

import org.jspecify.annotations.NullMarked;
