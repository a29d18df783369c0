package io.capsa.cli;

import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The runc-compatible command line. Global flags are the ones containerd's go-runc passes. */
@Command(name = "capsa", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A Linux container runtime.",
        subcommands = {SpecCommand.class, CreateCommand.class, StartCommand.class, RunCommand.class,
                StateCommand.class, ListCommand.class, PsCommand.class, ExecCommand.class, KillCommand.class,
                DeleteCommand.class, UpdateCommand.class, PauseCommand.class, ResumeCommand.class, EventsCommand.class,
                FeaturesCommand.class})
public final class Main {
    @Option(names = "--root", defaultValue = "/run/capsa", description = "State directory (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--log", description = "Also write errors and debug lines to this file.")
    Path log;

    @Option(names = "--log-format", defaultValue = "text", description = "text or json.")
    String logFormat;

    @Option(names = "--debug", description = "Log debug lines.")
    boolean debug;

    @Option(names = "--systemd-cgroup", description = "Use the systemd cgroup driver (not supported yet).")
    boolean systemdCgroup;

    Log logger = new Log(null, "text", false);

    Containers containers() {
        if (systemdCgroup) throw new CapsaException("--systemd-cgroup: the systemd cgroup driver is not supported");
        return new Containers(root, logger::debug, logger::warn);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        for (String name : new String[] {"exec", "ps"}) cl.getSubcommands().get(name).setStopAtPositional(true);
        cl.setExecutionStrategy(parsed -> {
            main.logger = new Log(main.log, main.logFormat, main.debug);
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setParameterExceptionHandler((e, a) -> {
            new Log(main.log, main.logFormat, false).error(usageError(e));
            return Exit.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            main.logger.error(Errors.describe(e));
            if (main.debug) e.printStackTrace();
            return Exit.RUNTIME_ERROR;
        });
        return cl.execute(args);
    }

    /**
     * Engines report our message as it is ("OCI runtime pause failed: ..."), so a command capsa lacks is
     * named as such, not as picocli's "Unmatched arguments from index 6".
     */
    private static String usageError(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine().getParent() == null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-"))
            return "unknown command \"" + u.getUnmatched().getFirst() + "\"";
        return e.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"capsa version " + (v == null ? "dev" : v), "spec: " + FeaturesCommand.OCI_VERSION_MAX};
        }
    }

}
