/**
 * Google Drive storage through the Drive v3 API and the official Java client: resumable, chunked
 * uploads streamed from the pipeline, objects named by {@code appProperties}.
 */
@NullMarked
package io.kanbu.backup.core.storage.gdrive;

import org.jspecify.annotations.NullMarked;
