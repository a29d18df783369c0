package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;

/** One of the engine's commands or command groups: its names, what it accepts, and what it does with it. */
interface Command {
    /** Its name, then its aliases, as help lists them: "ls, list". */
    String names();

    Usage usage();

    /** Returns the exit code. */
    int run(Globals globals, Args args) throws Exception;
}
