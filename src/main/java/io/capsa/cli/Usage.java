package io.capsa.cli;

import java.util.Arrays;

/**
 * What a command accepts, for parsing and for help: its description, its arguments by name as help shows
 * them ("ID [SIGNAL]": SIGNAL is optional; "ID...": one or more), and its flags, to which -h/--help is added.
 */
public final class Usage {
    private static final Flag HELP = Flag.ofAnswer("-h, --help", "Show this help");

    public final String description;
    final String arguments;
    final Flag[] flags;
    final int minArguments;
    final int maxArguments;
    boolean optionsEndAtFirstArgument;

    public Usage(String description, String arguments, Flag... flags) {
        this.description = description;
        this.arguments = arguments;
        this.flags = Arrays.copyOf(flags, flags.length + 1);
        this.flags[flags.length] = HELP;
        String[] names = names();
        int required = 0;
        for (String name : names) if (!name.startsWith("[")) required++;
        this.minArguments = required;
        this.maxArguments = arguments.contains("...") ? Integer.MAX_VALUE : names.length;
    }

    /** Flags end at the first argument: what follows is the command's (after the global flags) or, for exec and ps, the program's. */
    public Usage endOptionsAtFirstArgument() {
        optionsEndAtFirstArgument = true;
        return this;
    }

    /** The flag one of whose names this is, or null. */
    Flag flag(String name) {
        for (Flag f : flags) if (f.named(name)) return f;
        return null;
    }

    /** The name of the argument at this position, as a usage error names a missing one. */
    String argumentName(int index) {
        return names()[index].replace("[", "").replace("]", "").replace("...", "");
    }

    private String[] names() {
        return arguments.isEmpty() ? new String[0] : arguments.split(" ");
    }

    public String help(String command) {
        StringBuilder b = new StringBuilder("Usage: ").append(command).append(" [OPTIONS]");
        if (!arguments.isEmpty()) b.append(' ').append(arguments);
        b.append('\n').append(description).append("\n\nOptions:\n");
        int width = 0;
        for (Flag f : flags) width = Math.max(width, f.synopsis().length());
        for (Flag f : flags) b.append(String.format("  %-" + width + "s  %s%n", f.synopsis(), f.helpLine()));
        return b.toString();
    }
}
