package io.capsa.cli;

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
