package io.capsa.cli;

final class PauseCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Freeze every process of a container.", "ID");
    }

    @Override
    public int run(Main main, Args args) {
        main.containers().freeze(args.arg(0), true);
        return Exit.OK;
    }
}
