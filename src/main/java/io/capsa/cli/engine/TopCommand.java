package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.engine.Engine;
import io.capsa.engine.ProcessTable;
import io.capsa.template.TableFormat;

import java.util.List;

/** docker top: the container's processes as ps on the host shows them, with their pids in the container (NSPID). */
final class TopCommand extends AliasedCommand {
    /** docker top's tabwriter.NewWriter(out, 20, 1, 3, ' ', 0). */
    private static final int MIN_WIDTH = 20;

    TopCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Display the running processes of a container", "CONTAINER [PS_OPTION...]").endOptionsAtFirstArgument();
    }

    @Override
    public int run(Globals globals, Args args) {
        Engine engine = globals.engine();
        ProcessTable table = engine.top(engine.find(args.arg(0)), args.argsFrom(1));
        StringBuilder text = new StringBuilder(String.join("\t", table.titles())).append('\n');
        for (List<String> process : table.processes()) text.append(String.join("\t", process)).append('\n');
        return Main.print(TableFormat.align(text.toString(), MIN_WIDTH));
    }
}
