package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;

/** pause (frozen) and resume (thawed): one cgroup freezer write either way. */
final class FreezeCommand implements Command {
    private final boolean frozen;

    FreezeCommand(boolean frozen) {
        this.frozen = frozen;
    }

    @Override
    public Usage usage() {
        return new Usage(frozen ? "Freeze every process of a container." : "Thaw a paused container.", "ID");
    }

    @Override
    public int run(Main main, Args args) {
        main.containers().freeze(args.arg(0), frozen);
        return Exit.OK;
    }
}
