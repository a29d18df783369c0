package io.capsa.cli;

import io.capsa.spec.Quoted;

/**
 * One row of a command's flag table: its names, written as help shows them ("-b, --bundle"), the value it
 * takes, and its help line.
 */
public final class Flag {
    enum Kind {
        BOOLEAN,
        /** A boolean that answers the call by itself (--help, --version): the arguments are not checked. */
        ANSWER,
        TEXT,
        INT,
        LONG
    }

    final String[] names;
    final Kind kind;
    /** The value's name in help; null for a boolean. */
    final String label;
    final String help;
    /** The value when the flag is not given, or null. */
    final String byDefault;
    final boolean repeatable;

    private Flag(String[] names, Kind kind, String label, String help, String byDefault, boolean repeatable) {
        this.names = names;
        this.kind = kind;
        this.label = label;
        this.help = help;
        this.byDefault = byDefault;
        this.repeatable = repeatable;
    }

    public static Flag ofBoolean(String names, String help) {
        return new Flag(names(names), Kind.BOOLEAN, null, help, null, false);
    }

    public static Flag ofAnswer(String names, String help) {
        return new Flag(names(names), Kind.ANSWER, null, help, null, false);
    }

    public static Flag ofText(String names, String label, String help) {
        return new Flag(names(names), Kind.TEXT, label, help, null, false);
    }

    public static Flag ofInt(String names, String label, String help) {
        return new Flag(names(names), Kind.INT, label, help, null, false);
    }

    public static Flag ofLong(String names, String label, String help) {
        return new Flag(names(names), Kind.LONG, label, help, null, false);
    }

    /** "-b, --bundle" as its names; not split(", "), which is a regex, whose first use costs a few ms. */
    private static String[] names(String names) {
        return names.replace(" ", "").split(",");
    }

    public Flag orElse(String value) {
        return new Flag(names, kind, label, help, value, repeatable);
    }

    public Flag repeatable() {
        return new Flag(names, kind, label, help, byDefault, true);
    }

    boolean named(String name) {
        for (String n : names) if (n.equals(name)) return true;
        return false;
    }

    boolean takesValue() {
        return label != null;
    }

    /** Refuses a value this flag cannot take, naming the flag as it was given. */
    void check(String given, String value) {
        if (!takesValue()) {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false"))
                throw new UsageException(given + ": " + Quoted.of(value) + " is not true or false");
        } else if (kind == Kind.INT || kind == Kind.LONG) {
            long n;
            try {
                n = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new UsageException(given + ": " + Quoted.of(value) + " is not a number");
            }
            if (kind == Kind.INT && n != (int) n) throw new UsageException(given + ": " + value + " is out of range");
        }
    }

    /** "-b, --bundle DIR", long-only names indented to line up with the long names after a short one. */
    String synopsis() {
        return (names[0].startsWith("--") ? "    " : "") + String.join(", ", names) + (takesValue() ? " " + label : "");
    }

    String helpLine() {
        return help + (byDefault != null ? " (default: " + byDefault + ")" : "") + (repeatable ? " (repeatable)" : "");
    }
}
