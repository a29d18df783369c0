package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.engine.Engine;

/** docker rename: another name for a container; the old one is free afterwards. */
final class RenameCommand extends AliasedCommand {
    RenameCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Rename a container", "CONTAINER NEW_NAME");
    }

    @Override
    public int run(Globals globals, Args args) {
        if (args.argsFrom(0).size() != 2) throw new UsageException("\"capsa rename\" requires exactly 2 arguments");
        Engine engine = globals.engine();
        engine.rename(engine.find(args.arg(0)), args.arg(1));
        return Exit.OK;
    }
}
