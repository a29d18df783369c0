package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Errors;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Log;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.cli.Version;
import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;
import io.capsa.spec.Quoted;

import java.util.List;

/**
 * The runc-compatible command line. Global flags are the ones containerd's go-runc passes. The parser is
 * capsa's own: picocli's annotations cost ~100 ms of every call in proxy classes no AOT cache can hold.
 */
public final class Main {
    /** The command as its launcher is named: bin/capsa is the engine. */
    private static final String NAME = "capsa-runtime";
    private static final Usage GLOBAL = new Usage("A Linux container runtime.", "COMMAND [ARG...]",
            Flag.ofText("--root", "DIR", "State directory").orElse("/run/capsa"),
            Flag.ofText("--log", "FILE", "Also write errors and debug lines to this file"),
            Flag.ofText("--log-format", "FORMAT", "text or json").orElse("text"),
            Flag.ofBoolean("--debug", "Log debug lines"),
            Flag.ofBoolean("--systemd-cgroup", "Use the systemd cgroup driver (not supported yet)"),
            Flag.ofAnswer("-v, -V, --version", "Print the version")).endOptionsAtFirstArgument();

    /** Every command as help lists them, with its aliases; command() makes them. */
    private static final String[] COMMANDS = {"spec", "create", "start", "run", "state", "list, ls", "ps", "exec",
            "kill", "delete, rm", "update", "pause", "resume", "events", "features"};

    private final Args global;
    Log logger = new Log(null, "text", false);

    private Main(Args global) {
        this.global = global;
    }

    Containers containers() {
        if (global.flag("--systemd-cgroup")) throw new CapsaException("--systemd-cgroup: the systemd cgroup driver is not supported");
        return new Containers(global.path("--root"), global.flag("--debug") ? logger::debug : null, logger::warn);
    }

    public static void main(String[] args) {
        int code = run(args);
        System.out.flush();
        System.err.flush();
        // Not System.exit: it logs through System.Logger, whose set-up costs ~6 ms, for shutdown hooks we have none of.
        Runtime.getRuntime().halt(code);
    }

    public static int run(String... argv) {
        Main main = new Main(new Args(GLOBAL));
        try {
            main.global.parse(List.of(argv));
            String logFormat = main.global.value("--log-format");
            if (!logFormat.equals("text") && !logFormat.equals("json"))
                throw new UsageException("--log-format: unknown format " + Quoted.of(logFormat) + " (text or json)");
            if (main.global.flag("--help")) return print(help());
            if (main.global.flag("--version")) return print(version());
            String name = main.global.arg(0);
            Command command = command(name);
            // Engines report our message as it is ("OCI runtime checkpoint failed: ..."), so it names the command.
            if (command == null) throw new UsageException("unknown command " + Quoted.of(name));
            Args args = new Args(command.usage()).parse(main.global.argsFrom(1));
            if (args.flag("--help")) return print(args.usage.help(NAME + " " + name));
            main.logger = main.log(main.global.flag("--debug"));
            return command.run(main, args);
        } catch (UsageException e) {
            main.log(false).error(e.getMessage());
            return Exit.USAGE;
        } catch (Exception e) {
            main.logger.error(Errors.describe(e));
            if (main.global.flag("--debug")) e.printStackTrace();
            return Exit.RUNTIME_ERROR;
        }
    }

    /** The log as the global flags ask for it, those parsed before a usage error included. */
    private Log log(boolean debug) {
        return new Log(global.path("--log"), global.value("--log-format"), debug);
    }

    private static Command command(String name) {
        return switch (name) {
            case "spec" -> new SpecCommand();
            case "create" -> new CreateCommand();
            case "start" -> new StartCommand();
            case "run" -> new RunCommand();
            case "state" -> new StateCommand();
            case "list", "ls" -> new ListCommand();
            case "ps" -> new PsCommand();
            case "exec" -> new ExecCommand();
            case "kill" -> new KillCommand();
            case "delete", "rm" -> new DeleteCommand();
            case "update" -> new UpdateCommand();
            case "pause" -> new FreezeCommand(true);
            case "resume" -> new FreezeCommand(false);
            case "events" -> new EventsCommand();
            case "features" -> new FeaturesCommand();
            default -> null;
        };
    }

    static String help() {
        StringBuilder b = new StringBuilder(GLOBAL.help(NAME)).append("\nCommands:\n");
        for (String names : COMMANDS) {
            b.append(String.format("  %-12s%s%n", names, command(names.split(",")[0]).usage().description));
        }
        return b.append("\nRun '" + NAME + " COMMAND --help' for a command's options.\n").toString();
    }

    private static String version() {
        return "capsa version " + Version.capsa() + "\nspec: " + Version.OCI_SPEC + "\n";
    }

    private static int print(String text) {
        System.out.print(text);
        System.out.flush();
        return Exit.OK;
    }
}
