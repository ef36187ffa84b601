/** Spring-free backup core: the facade the apps call and the exception hierarchy. */
@NullMarked
package io.kanbu.backup.core;

import org.jspecify.annotations.NullMarked;
