package io.kanbu.backup.cli;

import io.kanbu.backup.core.ToolVersion;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code java -jar kanbu-backup-cli.jar}: the offline recovery tool. Every failure is one line on
 * standard error and an exit code of its own ({@link ExitCodes}, listed in {@code --help}).
 */
@Command(
    name = "kanbu-backup-cli",
    mixinStandardHelpOptions = true,
    versionProvider = KanbuBackupCli.Version.class,
    description = {
      "Inspects, verifies, decrypts, rekeys and restores single Kanbu Backup files, with nothing"
          + " else running: no catalog, no broker, no worker.",
      "Keys come from environment variables or keyring files, never from the command line."
    },
    subcommands = {
      InspectCommand.class,
      VerifyCommand.class,
      DecryptCommand.class,
      RekeyCommand.class,
      RestoreCommand.class,
      HelpCommand.class
    })
public final class KanbuBackupCli {

  private final Map<String, String> environment;
  private final OutputStream binaryOut;

  KanbuBackupCli(Map<String, String> environment, OutputStream binaryOut) {
    this.environment = Map.copyOf(environment);
    this.binaryOut = binaryOut;
  }

  /** The process environment (injected, so tests need not set real variables). */
  Map<String, String> environment() {
    return environment;
  }

  /** Where {@code decrypt -o -} writes the plaintext: the process's standard output. */
  OutputStream binaryOut() {
    return binaryOut;
  }

  public static void main(String[] args) {
    PrintStream stdout = System.out;
    int code = commandLine(System.getenv(), stdout).execute(args);
    stdout.flush();
    System.exit(code);
  }

  /**
   * The command line with its subcommands, the exit code list in every help and the mapping of
   * exceptions to one-line messages and exit codes. Text goes to {@link CommandLine#getOut()} and
   * {@link CommandLine#getErr()} (set them to capture it).
   */
  static CommandLine commandLine(Map<String, String> environment, OutputStream binaryOut) {
    CommandLine cli = new CommandLine(new KanbuBackupCli(environment, binaryOut));
    cli.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    applyExitCodeList(cli);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println(commandLine.getCommandSpec().root().name() + ": " + e.getMessage());
          commandLine.getErr().flush();
          int code = ExitCodes.of(e);
          if (code == ExitCodes.INTERNAL_ERROR) {
            e.printStackTrace(commandLine.getErr());
          }
          return code;
        });
    return cli;
  }

  private static void applyExitCodeList(CommandLine cli) {
    cli.getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCodes.descriptions());
    for (CommandLine sub : cli.getSubcommands().values()) {
      applyExitCodeList(sub);
    }
  }

  /** {@code --version}: the backup-core version this jar carries. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {ToolVersion.current().replace("kanbu-backup", "kanbu-backup-cli")};
    }
  }
}
