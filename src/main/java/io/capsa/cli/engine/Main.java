package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Errors;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.cli.Version;
import io.capsa.spec.Quoted;

import java.util.List;

/**
 * The Docker-style command (bin/capsa), in Docker's words: its errors are one "Error: ..." line on stderr
 * and exit 125, as Docker's own failures are. It runs containers through the runtime library in-process;
 * bin/capsa-runtime is the runc-compatible command for engines.
 */
public final class Main {
    static final String NAME = "capsa";

    private static final Group TOP = new Group(NAME, new Usage("A Docker-compatible container engine.", "[COMMAND] [ARG...]",
            Flag.ofText("--data-root", "DIR", "Images, container records, logs and volumes").orElse("/var/lib/capsa"),
            Flag.ofText("--run-root", "DIR", "Runtime state and monitor sockets").orElse("/run/capsa"),
            Flag.ofBoolean("-D, --debug", "Debug output (--log-level debug)"),
            Flag.ofText("-l, --log-level", "LEVEL", "debug, info, warn, error or fatal").orElse("info"),
            Flag.ofAnswer("-v, --version", "Print the version"),
            Flag.ofText("--insecure-registry", "REGISTRY", "Reach this registry (host[:port]) over plain http").repeatable()),
            new Group("container", "Manage containers",
                    new AttachCommand("attach"),
                    new CleanupCommand(),
                    new CommitCommand(),
                    new CpCommand(),
                    new CreateCommand("create"),
                    new DiffCommand(),
                    new ExecCommand("exec"),
                    new ExportCommand(),
                    new InspectCommand("inspect", true),
                    new KillCommand("kill"),
                    new LogsCommand("logs"),
                    new PsCommand("ls, list, ps"),
                    new PauseCommand("pause", true),
                    new PortCommand("port"),
                    new ContainerPruneCommand(),
                    new RenameCommand("rename"),
                    new StopCommand("restart", true),
                    new RmCommand("rm, remove"),
                    new RunCommand(),
                    new StartCommand("start"),
                    new StatsCommand("stats"),
                    new StopCommand("stop", false),
                    new TopCommand("top"),
                    new PauseCommand("unpause", false),
                    new WaitCommand("wait")),
            new Group("image", "Manage images",
                    new HistoryCommand(),
                    new ImportCommand(),
                    new ImageInspectCommand("inspect"),
                    new LoadCommand(),
                    new ImagesCommand("ls, list"),
                    new ImagePruneCommand(),
                    new PullCommand(),
                    new PushCommand(),
                    new RmiCommand("rm, remove"),
                    new SaveCommand(),
                    new TagCommand()),
            new Group("network", "Manage networks",
                    new NetworkConnectCommand(true),
                    new NetworkCreateCommand(),
                    new NetworkConnectCommand(false),
                    new NetworkInspectCommand(),
                    new NetworkLsCommand(),
                    new NetworkPruneCommand(),
                    new NetworkRmCommand()),
            new Group("ns", "Look at the namespaces of the host and its containers",
                    new NsEnterCommand(),
                    new NsListCommand()),
            new AttachCommand("attach"),
            new CommitCommand(),
            new CpCommand(),
            new CreateCommand("create"),
            new DiffCommand(),
            new ExecCommand("exec"),
            new ExportCommand(),
            new HistoryCommand(),
            new ImagesCommand("images"),
            new ImportCommand(),
            new InspectCommand("inspect", false),
            new InfoCommand(),
            new KillCommand("kill"),
            new LoadCommand(),
            new LoginCommand(),
            new LogoutCommand(),
            new LogsCommand("logs"),
            new PauseCommand("pause", true),
            new PortCommand("port"),
            new PsCommand("ps"),
            new PullCommand(),
            new PushCommand(),
            new RenameCommand("rename"),
            new StopCommand("restart", true),
            new RmCommand("rm"),
            new RmiCommand("rmi"),
            new RunCommand(),
            new SaveCommand(),
            new StartCommand("start"),
            new StatsCommand("stats"),
            new StopCommand("stop", false),
            new Group("system", "Manage capsa",
                    new SystemDfCommand(),
                    new InfoCommand(),
                    new SystemPruneCommand()),
            new TagCommand(),
            new TopCommand("top"),
            new PauseCommand("unpause", false),
            new VersionCommand(),
            new WaitCommand("wait"));

    private Main() {}

    public static void main(String[] args) {
        int code = run(args);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code); // no shutdown hooks to run, as in the runtime's Main
    }

    public static int run(String... argv) {
        boolean debug = false;
        try {
            Args global = new Args(TOP.usage()).parse(List.of(argv));
            String level = global.flag("--debug") ? "debug" : global.value("--log-level");
            switch (level) {
                case "debug", "info", "warn", "error", "fatal" -> {}
                default -> throw new UsageException("--log-level: unknown level " + Quoted.of(level) + " (debug, info, warn, error or fatal)");
            }
            debug = level.equals("debug");
            if (global.flag("--help")) return print(TOP.help());
            if (global.flag("--version")) return print(NAME + " version " + Version.capsa() + "\n");
            return TOP.run(new Globals(global.path("--data-root").toAbsolutePath(), global.path("--run-root").toAbsolutePath(), level, global.values("--insecure-registry")), global);
        } catch (UsageException e) {
            error(e.getMessage());
            return Exit.USAGE;
        } catch (Exception e) {
            error(Errors.describe(e));
            if (debug) e.printStackTrace();
            return Exit.RUNTIME_ERROR;
        }
    }

    static int print(String text) {
        System.out.print(text);
        System.out.flush();
        return Exit.OK;
    }

    private static void error(String message) {
        System.err.println("Error: " + Quoted.line(message));
    }
}
