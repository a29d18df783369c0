package io.capsa.cli.engine;

/** A command known by other names in another place: "capsa images" is "capsa image ls, list". */
abstract class AliasedCommand implements Command {
    private final String names;

    AliasedCommand(String names) {
        this.names = names;
    }

    @Override
    public final String names() {
        return names;
    }

    /** The name it was given first, for messages: "images". */
    final String name() {
        return names.split(",")[0];
    }
}
