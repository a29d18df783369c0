package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.engine.RunState;
import io.capsa.runtime.Attach;
import io.capsa.runtime.CapsaException;

/** docker attach: this terminal joined to a running container's stdio, until it exits or the detach keys. */
final class AttachCommand extends AliasedCommand {
    AttachCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Attach local standard input, output, and error streams to a running container", "CONTAINER",
                Flag.ofBoolean("--no-stdin", "Do not attach STDIN"), RunCommand.detachKeys());
    }

    @Override
    public int run(Globals globals, Args args) {
        Engine engine = globals.engine();
        ContainerRecord record = engine.find(args.arg(0));
        RunState state = engine.state(record);
        if (!state.isUp()) throw new CapsaException("You cannot attach to a stopped container, start it first");
        if (state.status() == RunState.Status.PAUSED) throw new CapsaException("You cannot attach to a paused container, unpause it first");
        var code = Attach.attach(engine.attachSocket(record.id()), new Attach.Options(!args.flag("--no-stdin") && record.config().openStdin(),
                record.config().tty(), false, args.value("--detach-keys")), () -> { });
        if (code.isEmpty()) return Exit.OK;
        return engine.waitForExit(record);
    }
}
