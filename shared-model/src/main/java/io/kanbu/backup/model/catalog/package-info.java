@NullMarked
package io.kanbu.backup.model.catalog;

import org.jspecify.annotations.NullMarked;
