package io.capsa.cli;

final class ResumeCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Thaw a paused container.", "ID");
    }

    @Override
    public int run(Main main, Args args) {
        main.containers().freeze(args.arg(0), false);
        return Exit.OK;
    }
}
