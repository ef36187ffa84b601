package io.kanbu.backup.core.source.tar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reads the commit and the cleanliness of a git work tree by running {@code git} from an argument
 * list (never a shell). A tree without a {@code .git} entry at its root is not asked at all.
 */
public final class GitWorkTreeProbe {

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final long TIMEOUT_SECONDS = 60;

  private final String gitBinary;

  /**
   * @param gitBinary the git executable, a path or a name looked up on {@code PATH}
   */
  public GitWorkTreeProbe(String gitBinary) {
    this.gitBinary = gitBinary;
  }

  /** The outcome: a state, nothing (not a work tree), or why it could not be read. */
  public sealed interface Result {
    record Found(GitState state) implements Result {}

    record NotAWorkTree() implements Result {}

    record Unreadable(String reason) implements Result {}
  }

  public Result probe(Path root) {
    if (!Files.exists(root.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
      return new Result.NotAWorkTree();
    }
    try {
      Output head = run(root, "rev-parse", "HEAD");
      if (head.exit != 0) {
        return new Result.Unreadable("'git rev-parse HEAD' failed: " + head.text.strip());
      }
      String commit = head.text.strip();
      if (!COMMIT.matcher(commit).matches()) {
        return new Result.Unreadable("'git rev-parse HEAD' printed no commit id");
      }
      Output status = run(root, "status", "--porcelain");
      if (status.exit != 0) {
        return new Result.Unreadable("'git status --porcelain' failed: " + status.text.strip());
      }
      return new Result.Found(new GitState(commit, !status.text.isBlank()));
    } catch (IOException e) {
      return new Result.Unreadable("unable to run '" + gitBinary + "': " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Unreadable("interrupted while running git");
    }
  }

  private record Output(int exit, String text) {}

  private Output run(Path root, String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    args.add(gitBinary);
    // the worker may run as another user than the tree's owner; git would then refuse the tree
    args.add("-c");
    args.add("safe.directory=" + root);
    args.add("-C");
    args.add(root.toString());
    args.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
    pb.environment().put("GIT_OPTIONAL_LOCKS", "0"); // a backup must not write to the index
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = pb.start();
    byte[] out = process.getInputStream().readNBytes(1 << 20);
    process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("git did not finish within " + TIMEOUT_SECONDS + " seconds");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (text.length() > 500 && process.exitValue() != 0) {
      text = text.substring(0, 500);
    }
    return new Output(process.exitValue(), text);
  }
}
