@NullMarked
package io.kanbu.backup.model.job;

import org.jspecify.annotations.NullMarked;
