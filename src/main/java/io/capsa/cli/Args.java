package io.capsa.cli;

import io.capsa.spec.Quoted;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line parsed by a Usage, read by flag name. Takes `--flag value`, `--flag=value`, `-f value`,
 * `-fvalue`, `-abc` for three booleans, `--flag=false` for a boolean, and `--` to end the flags; flags may
 * follow arguments unless the usage ends them at the first. Numbers are checked as they are parsed.
 */
public final class Args {
    public final Usage usage;
    private final Map<Flag, List<String>> given = new HashMap<>();
    private final List<String> arguments = new ArrayList<>();

    public Args(Usage usage) {
        this.usage = usage;
    }

    /** Parses into this Args, so that the flags before an error can be read still (--log, for the error). */
    public Args parse(List<String> argv) {
        boolean onlyArguments = false;
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (onlyArguments || arg.length() < 2 || arg.charAt(0) != '-') {
                arguments.add(arg);
                onlyArguments |= usage.optionsEndAtFirstArgument;
            } else if (arg.equals("--")) {
                onlyArguments = true;
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                i = set(known(name, name), name, eq < 0 ? null : arg.substring(eq + 1), argv, i);
            } else {
                i = setShort(arg, argv, i);
            }
        }
        if (!answered()) {
            if (arguments.size() < usage.minArguments) throw new UsageException("missing " + usage.argumentName(arguments.size()));
            if (arguments.size() > usage.maxArguments)
                throw new UsageException("unexpected argument " + Quoted.of(arguments.get(usage.maxArguments)));
        }
        return this;
    }

    /** -a, -abc for three booleans, -f value, -fvalue or -f=value; returns the index of the last argument used. */
    private int setShort(String arg, List<String> argv, int i) {
        for (int at = 1; ; at++) {
            String name = "-" + arg.charAt(at), rest = arg.substring(at + 1);
            Flag flag = known(name, arg);
            if (rest.startsWith("=")) return set(flag, name, rest.substring(1), argv, i);
            if (rest.isEmpty() || flag.takesValue()) return set(flag, name, rest.isEmpty() ? null : rest, argv, i);
            set(flag, name, null, argv, i); // a boolean, with more flags after it
        }
    }

    /** Records one flag; a value not attached to it is the next argument. Returns the index of the last argument used. */
    private int set(Flag flag, String name, String attached, List<String> argv, int i) {
        String value = attached;
        if (value == null && flag.takesValue()) {
            if (++i == argv.size()) throw new UsageException(name + " needs a value");
            value = argv.get(i);
        }
        if (value == null) value = "true";
        flag.check(name, value);
        List<String> values = given.get(flag);
        if (values == null) given.put(flag, values = new ArrayList<>());
        else if (!flag.repeatable) throw new UsageException(name + " is given more than once");
        values.add(value);
        return i;
    }

    /** The flag a name given on the command line names; an error names the whole argument it came in. */
    private Flag known(String name, String arg) {
        Flag flag = usage.flag(name);
        if (flag == null) throw new UsageException("unknown option " + Quoted.of(arg));
        return flag;
    }

    /** Whether --help or --version was given, which the command answers without any arguments. */
    private boolean answered() {
        for (Flag f : given.keySet()) if (f.kind == Flag.Kind.ANSWER) return true;
        return false;
    }

    /** A flag the command reads, which its usage must declare. */
    private Flag declared(String name) {
        Flag flag = usage.flag(name);
        if (flag == null) throw new IllegalArgumentException("no flag " + name + " in this usage");
        return flag;
    }

    public boolean flag(String name) {
        List<String> values = given.get(declared(name));
        return values != null && !values.getLast().equalsIgnoreCase("false");
    }

    /** The flag's value, or its default, or null. */
    public String value(String name) {
        Flag flag = declared(name);
        List<String> values = given.get(flag);
        return values != null ? values.getLast() : flag.byDefault;
    }

    /** Every value of a repeatable flag, in order. */
    public List<String> values(String name) {
        return given.getOrDefault(declared(name), List.of());
    }

    public Path path(String name) {
        String value = value(name);
        return value == null ? null : Path.of(value);
    }

    public int intValue(String name) {
        return Integer.parseInt(value(name));
    }

    public Long longValue(String name) {
        String value = value(name);
        return value == null ? null : Long.valueOf(value);
    }

    public List<Long> longValues(String name) {
        List<Long> longs = new ArrayList<>();
        for (String value : values(name)) longs.add(Long.valueOf(value));
        return longs;
    }

    /** The argument at this position, or null. */
    public String arg(int index) {
        return index < arguments.size() ? arguments.get(index) : null;
    }

    public List<String> argsFrom(int index) {
        return List.copyOf(arguments.subList(index, arguments.size()));
    }
}
