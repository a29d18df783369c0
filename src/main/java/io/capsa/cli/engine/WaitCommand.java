package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.engine.Engine;

/** docker wait: blocks until each container stops, then prints its exit code. */
final class WaitCommand extends AliasedCommand {
    WaitCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Block until one or more containers stop, then print their exit codes", "CONTAINER [CONTAINER...]");
    }

    @Override
    public int run(Globals globals, Args args) {
        if (args.argsFrom(0).isEmpty()) throw new UsageException("\"capsa wait\" requires at least 1 argument");
        Engine engine = globals.engine();
        for (String name : args.argsFrom(0)) {
            System.out.println(engine.waitForExit(engine.find(name)));
            System.out.flush();
        }
        return Exit.OK;
    }
}
