package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;

/** One of capsa's commands: what it accepts, and what it does with it. */
interface Command {
    Usage usage();

    /** Returns the exit code. */
    int run(Main main, Args args) throws Exception;
}
