package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.linux.Signals;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

final class KillCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Send a signal (default SIGTERM) to a container's init.", "ID [SIGNAL]",
                Flag.ofBoolean("-a, --all", "Signal every process of the container"));
    }

    @Override
    public int run(Main main, Args args) {
        String signal = args.arg(1) != null ? args.arg(1) : "SIGTERM";
        int number;
        try {
            number = Signals.parse(signal);
        } catch (IllegalArgumentException e) {
            throw new CapsaException(e.getMessage() + " " + Quoted.of(signal));
        }
        main.containers().kill(args.arg(0), number, args.flag("--all"));
        return Exit.OK;
    }
}
