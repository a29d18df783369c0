package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;

import java.io.IOException;
import java.util.List;

/** docker network prune: removes the user networks no container uses; asks first unless -f. */
final class NetworkPruneCommand implements Command {
    @Override
    public String names() {
        return "prune";
    }

    @Override
    public Usage usage() {
        return new Usage("Remove all unused networks", "",
                Flag.ofBoolean("-f, --force", "Do not prompt for confirmation"));
    }

    @Override
    public int run(Globals globals, Args args) throws IOException {
        if (!args.flag("--force") && !ImagePruneCommand.confirmed("WARNING! This will remove all custom networks not used by at least one container."))
            return Exit.OK;
        List<String> removed = globals.networks().prune();
        return Main.print(removed.isEmpty() ? "" : "Deleted Networks:\n" + String.join("\n", removed) + "\n");
    }
}
