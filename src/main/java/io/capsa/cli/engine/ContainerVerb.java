package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.UsageException;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

/**
 * A command that does one thing to each container it names (stop, kill, rm, ...), as Docker's do: the name
 * printed as given for each done, an error line for each not, and a failure exit if any failed.
 */
abstract class ContainerVerb extends AliasedCommand {
    ContainerVerb(String names) {
        super(names);
    }

    /** Does it to one container. */
    abstract void apply(Engine engine, ContainerRecord record, Args args);

    @Override
    public final int run(Globals globals, Args args) {
        if (args.argsFrom(0).isEmpty()) throw new UsageException("\"capsa " + name() + "\" requires at least 1 argument");
        Engine engine = globals.engine();
        int exit = Exit.OK;
        for (String name : args.argsFrom(0)) {
            try {
                apply(engine, engine.find(name), args);
                System.out.println(name);
            } catch (CapsaException e) {
                System.err.println("Error: " + Quoted.line(e.getMessage()));
                exit = Exit.RUNTIME_ERROR;
            }
        }
        return exit;
    }
}
