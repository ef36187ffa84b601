package io.kanbu.backup.core;

import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.pipeline.BackupPipeline;
import io.kanbu.backup.core.pipeline.PipelineProgress;
import io.kanbu.backup.core.pipeline.PipelineResult;
import io.kanbu.backup.core.pipeline.PipelineStage;
import io.kanbu.backup.core.pipeline.StreamingEncryptStage;
import io.kanbu.backup.core.source.tar.ArchiveReport;
import io.kanbu.backup.core.source.tar.GitState;
import io.kanbu.backup.core.source.tar.GitWorkTreeProbe;
import io.kanbu.backup.core.source.tar.IgnoreRules;
import io.kanbu.backup.core.source.tar.SourceTreeArchiver;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StoredObject;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backs up one source tree into a storage backend: a tar ({@link SourceTreeArchiver}) streamed
 * through the {@link BackupPipeline} into {@link StorageBackend#put}. Exclusions are the defaults
 * ({@link IgnoreRules#DEFAULT_PATTERNS}), then the tree's {@code .backupignore}, then the target's
 * exclude and include globs. The archive is encrypted when the options say so, and a manifest (kind
 * {@code source}) is stored beside it. On failure nothing is left in storage; problems with single
 * files are warnings in the outcome.
 */
public final class SourceBackup {

  private final SourceTreeArchiver archiver;
  private final GitWorkTreeProbe git;
  private final Clock clock;
  private final PipelineProgress progress;

  public SourceBackup(SourceTreeArchiver archiver, GitWorkTreeProbe git, Clock clock) {
    this(archiver, git, clock, PipelineProgress.NONE);
  }

  /**
   * @param progress told of the archive's bytes as they are written
   */
  public SourceBackup(
      SourceTreeArchiver archiver, GitWorkTreeProbe git, Clock clock, PipelineProgress progress) {
    this.archiver = archiver;
    this.git = git;
    this.clock = clock;
    this.progress = progress;
  }

  /**
   * Runs the backup.
   *
   * @param root the tree's root directory
   * @param objectKey where to store the archive; its last segment is the file name (with {@code
   *     .enc} when the options encrypt); the manifest goes beside it ({@link
   *     BackupManifest#keyFor})
   * @throws BackupException permanent (root missing, not a directory) or transient (storage)
   */
  public SourceBackupOutcome backup(
      Path root, StorageBackend storage, String objectKey, SourceBackupOptions options) {
    Instant started = clock.instant();
    if (!root.isAbsolute() || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new PermanentBackupException(
          "source tree '"
              + root
              + "' of target '"
              + options.targetName()
              + "' is not an absolute path to a directory (symbolic links are not followed);"
              + " check "
              + options.pathSetting());
    }
    List<String> warnings = new ArrayList<>();
    IgnoreRules rules = rules(root, options, warnings);
    GitState gitState =
        switch (git.probe(root)) {
          case GitWorkTreeProbe.Result.Found found -> found.state();
          case GitWorkTreeProbe.Result.NotAWorkTree none -> null;
          case GitWorkTreeProbe.Result.Unreadable u -> {
            warnings.add(".git: commit and uncommitted changes unknown: " + u.reason());
            yield null;
          }
        };
    EnvelopeEncryption encryption = options.encryption();
    PipelineStage encrypt =
        encryption == null
            ? PipelineStage.identity()
            : new StreamingEncryptStage(encryption, options.backupId());
    String keyId = encryption == null ? null : encryption.primaryKeyId().orElseThrow();
    BackupPipeline pipeline =
        new BackupPipeline(
            options.compression(),
            encrypt,
            options.bufferSize(),
            n -> progress.read("source", options.targetName(), n));
    AtomicReference<PipelineResult> result = new AtomicReference<>();
    AtomicReference<ArchiveReport> report = new AtomicReference<>();
    StoredObject stored =
        storage.put(
            objectKey,
            out ->
                result.set(
                    pipeline.write(head -> report.set(archiver.write(root, rules, head)), out)));
    PipelineResult pipelineResult = result.get();
    ArchiveReport archive = report.get();
    if (pipelineResult == null || archive == null) {
      throw new IllegalStateException("pipeline produced no result for '" + objectKey + "'");
    }
    StoredBackupObject.requireStoredSize(storage, objectKey, stored, pipelineResult);
    warnings.addAll(archive.warnings());
    String fileName = objectKey.substring(objectKey.lastIndexOf('/') + 1);
    Instant finished = clock.instant();
    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT_VERSION,
            options.backupId(),
            options.jobId(),
            options.targetName(),
            "source",
            finished,
            options.toolVersion(),
            fileName,
            null,
            null,
            new BackupManifest.Sizes(
                pipelineResult.rawBytes(),
                pipelineResult.compressedBytes(),
                pipelineResult.storedBytes()),
            pipelineResult.sha256Compressed(),
            pipelineResult.sha256Stored(),
            options.compression().format().id(),
            StoredBackupObject.encryption(keyId),
            BackupManifest.RowCounts.off(),
            null,
            new BackupManifest.Source(
                archive.fileCount(),
                archive.totalBytes(),
                archive.excludedPatterns(),
                gitState == null
                    ? null
                    : new BackupManifest.Git(gitState.commit(), gitState.uncommittedChanges())));
    StoredBackupObject.WrittenManifest written =
        StoredBackupObject.writeManifest(storage, objectKey, manifest);
    return new SourceBackupOutcome(
        storage.name(),
        objectKey,
        fileName,
        pipelineResult,
        archive,
        gitState,
        warnings,
        started,
        finished,
        keyId,
        written.key(),
        written.manifest());
  }

  private static IgnoreRules rules(Path root, SourceBackupOptions options, List<String> warnings) {
    IgnoreRules rules = IgnoreRules.parse(IgnoreRules.DEFAULT_PATTERNS);
    Path ignoreFile = root.resolve(IgnoreRules.BACKUPIGNORE);
    if (Files.isRegularFile(ignoreFile, LinkOption.NOFOLLOW_LINKS)) {
      try {
        rules = rules.plus(Files.readAllLines(ignoreFile, StandardCharsets.UTF_8));
      } catch (MalformedInputException e) {
        warnings.add(IgnoreRules.BACKUPIGNORE + ": not UTF-8 text; its rules were not applied");
      } catch (IOException e) {
        warnings.add(
            IgnoreRules.BACKUPIGNORE + ": cannot be read (" + e + "); its rules were not applied");
      }
    }
    return rules.plus(options.exclude()).plusIncludes(options.include());
  }
}
