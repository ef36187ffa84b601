/** The Kanbu Backup HTTP gateway: trigger, read API, downloads. */
@NullMarked
package io.kanbu.backup.gateway;

import org.jspecify.annotations.NullMarked;
