package io.capsa.cli;

import io.capsa.linux.Signals;
import io.capsa.runtime.CapsaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "kill", description = "Send a signal (default SIGTERM) to a container's init.")
final class KillCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Option(names = {"--all", "-a"}, description = "Signal every process of the container.") boolean all;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1", paramLabel = "SIGNAL", defaultValue = "SIGTERM") String signal;

    @Override
    public Integer call() {
        int number;
        try {
            number = Signals.parse(signal);
        } catch (IllegalArgumentException e) {
            throw new CapsaException(e.getMessage());
        }
        main.containers().kill(id, number, all);
        return Exit.OK;
    }
}
