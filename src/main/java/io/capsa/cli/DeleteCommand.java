package io.capsa.cli;

final class DeleteCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Delete containers and everything they had.", "ID...",
                Flag.ofBoolean("-f, --force", "Kill a running container first"));
    }

    @Override
    public int run(Main main, Args args) {
        boolean force = args.flag("--force");
        for (String id : args.argsFrom(0)) main.containers().delete(id, force);
        return Exit.OK;
    }
}
