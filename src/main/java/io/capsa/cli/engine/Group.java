package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.spec.Quoted;

/**
 * A command that runs one of its sub-commands (capsa container ls, capsa image rm), or shows its help
 * without one, as Docker's groups do. The top level is one too: its flags are the global ones.
 */
final class Group implements Command {
    private final String path;
    private final Usage usage;
    private final Command[] commands;

    Group(String path, Usage usage, Command... commands) {
        this.path = path;
        this.usage = usage.endOptionsAtFirstArgument();
        this.commands = commands;
    }

    /** A group under the top level: "capsa container". */
    Group(String name, String description, Command... commands) {
        this(Main.NAME + " " + name, new Usage(description, "[COMMAND] [ARG...]"), commands);
    }

    @Override
    public String names() {
        return path.substring(path.lastIndexOf(' ') + 1);
    }

    @Override
    public Usage usage() {
        return usage;
    }

    @Override
    public int run(Globals globals, Args args) throws Exception {
        if (args.argsFrom(0).isEmpty()) return Main.print(help());
        String name = args.arg(0);
        Command command = find(name);
        if (command == null) throw new UsageException("unknown command " + Quoted.of(name) + " for " + Quoted.of(path));
        Args own = new Args(command.usage()).parse(args.argsFrom(1));
        if (own.flag("--help")) {
            return Main.print(command instanceof Group g ? g.help() : own.usage.help(path + " " + name));
        }
        return command.run(globals, own);
    }

    private Command find(String name) {
        for (Command c : commands) {
            for (String n : c.names().replace(" ", "").split(",")) if (n.equals(name)) return c;
        }
        return null;
    }

    String help() {
        StringBuilder b = new StringBuilder(usage.help(path));
        if (commands.length > 0) {
            b.append("\nCommands:\n");
            for (Command c : commands) b.append(String.format("  %-12s%s%n", c.names(), c.usage().description));
        }
        return b.append("\nRun '").append(path).append(" COMMAND --help' for more information on a command.\n").toString();
    }
}
