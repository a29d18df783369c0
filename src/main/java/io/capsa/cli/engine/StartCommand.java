package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.runtime.Attach;

import java.util.OptionalInt;

/** docker start: each container started detached, or one with -a attached (its exit code returned). */
final class StartCommand extends AliasedCommand {
    StartCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Start one or more stopped containers", "CONTAINER [CONTAINER...]",
                Flag.ofBoolean("-a, --attach", "Attach stdout and stderr and wait for the container"),
                Flag.ofBoolean("-i, --interactive", "Attach stdin too"),
                RunCommand.detachKeys());
    }

    @Override
    public int run(Globals globals, Args args) {
        if (args.argsFrom(0).isEmpty()) throw new UsageException("\"capsa start\" requires at least 1 argument");
        boolean attach = args.flag("--attach") || args.flag("--interactive");
        if (attach && args.argsFrom(0).size() > 1) throw new UsageException("you cannot start and attach multiple containers at once");
        Engine engine = globals.engine();
        if (attach) {
            ContainerRecord record = engine.find(args.arg(0));
            OptionalInt code = engine.startAttached(record, new Attach.Options(args.flag("--interactive") && record.config().openStdin(),
                    record.config().tty(), true, args.value("--detach-keys")));
            return code.orElse(Exit.OK);
        }
        int exit = Exit.OK;
        for (String name : args.argsFrom(0)) {
            try {
                engine.start(engine.find(name));
                System.out.println(name);
            } catch (io.capsa.runtime.CapsaException e) {
                System.err.println("Error: " + io.capsa.spec.Quoted.line(e.getMessage()));
                exit = Exit.RUNTIME_ERROR;
            }
        }
        return exit;
    }
}
