package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.engine.config.CreateRequest;
import io.capsa.runtime.Attach;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * docker run: create, then start detached (-d: the id printed) or attached to this terminal, returning the
 * container's exit code. A run whose container cannot start leaves nothing behind.
 */
final class RunCommand implements Command {
    @Override
    public String names() {
        return "run";
    }

    @Override
    public Usage usage() {
        Flag[] flags = Arrays.copyOf(RunFlags.flags(), RunFlags.flags().length + 1);
        flags[flags.length - 1] = detachKeys();
        return new Usage("Create and run a new container from an image", "IMAGE [COMMAND] [ARG...]", flags).endOptionsAtFirstArgument();
    }

    static Flag detachKeys() {
        return Flag.ofText("--detach-keys", "KEYS", "Keys that detach from the container (default ctrl-p,ctrl-q)");
    }

    @Override
    public int run(Globals globals, Args args) {
        CreateRequest request = RunFlags.request(args);
        ContainerImage image = ContainerImage.find(globals, request.config().image());
        Engine engine = globals.engine();
        ContainerRecord record = engine.create(request, image.info(), image.id(), request.config().image());
        try {
            if (args.flag("--detach")) {
                engine.start(record);
                return Main.print(record.id() + "\n");
            }
            OptionalInt code = engine.startAttached(record, new Attach.Options(request.config().openStdin(), request.config().tty(),
                    true, args.value("--detach-keys")));
            return code.orElse(Exit.OK);
        } catch (RuntimeException e) { // nothing of a run that did not start stays
            engine.remove(record, true, true);
            if (!(e instanceof CapsaException c) || StartFailure.exitCode(c) == Exit.RUNTIME_ERROR) throw e;
            System.err.println("Error: " + Quoted.line(e.getMessage()));
            return StartFailure.exitCode(c);
        }
    }
}
