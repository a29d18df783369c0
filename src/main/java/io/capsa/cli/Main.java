package io.capsa.cli;

import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The runc-compatible command line. Global flags are the ones containerd's go-runc passes. */
@Command(name = "capsa", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A Linux container runtime.")
public final class Main {
    /** Every command; a call builds the model of the one it names only, which saves most of picocli's start-up. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();
    static {
        COMMANDS.put("spec", SpecCommand::new);
        COMMANDS.put("create", CreateCommand::new);
        COMMANDS.put("start", StartCommand::new);
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("state", StateCommand::new);
        COMMANDS.put("list", ListCommand::new);
        COMMANDS.put("ps", PsCommand::new);
        COMMANDS.put("exec", ExecCommand::new);
        COMMANDS.put("kill", KillCommand::new);
        COMMANDS.put("delete", DeleteCommand::new);
        COMMANDS.put("update", UpdateCommand::new);
        COMMANDS.put("pause", PauseCommand::new);
        COMMANDS.put("resume", ResumeCommand::new);
        COMMANDS.put("events", EventsCommand::new);
        COMMANDS.put("features", FeaturesCommand::new);
    }
    private static final Map<String, String> ALIASES = Map.of("ls", "list", "rm", "delete");
    /** Global options that take a value, to find the command name behind them. */
    private static final Set<String> VALUED = Set.of("--root", "--log", "--log-format");

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
        String named = commandName(args);
        COMMANDS.forEach((name, command) -> {
            if (named == null || named.equals(name)) cl.addSubcommand(command.get());
        });
        for (String name : new String[] {"exec", "ps"}) {
            if (cl.getSubcommands().containsKey(name)) cl.getSubcommands().get(name).setStopAtPositional(true);
        }
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

    /** The command the arguments name after the global options, or null (then every command is registered). */
    private static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED.contains(a)) i++;
            else if (!a.startsWith("-")) {
                String name = ALIASES.getOrDefault(a, a);
                return COMMANDS.containsKey(name) ? name : null;
            }
        }
        return null;
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
