/** File names of backup objects. */
@NullMarked
package io.kanbu.backup.core.naming;

import org.jspecify.annotations.NullMarked;
