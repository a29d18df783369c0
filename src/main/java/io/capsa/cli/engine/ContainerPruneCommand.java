package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.files.ContainerSpace;

import java.io.IOException;

/** docker container prune: removes every stopped container; asks first unless -f. */
final class ContainerPruneCommand implements Command {
    @Override
    public String names() {
        return "prune";
    }

    @Override
    public Usage usage() {
        return new Usage("Remove all stopped containers", "",
                Flag.ofBoolean("-f, --force", "Do not prompt for confirmation"));
    }

    @Override
    public int run(Globals globals, Args args) throws IOException {
        if (!args.flag("--force") && !ImagePruneCommand.confirmed("WARNING! This will remove all stopped containers.")) return Exit.OK;
        ContainerSpace.PruneResult pruned = new ContainerSpace(globals.engine()).prune();
        return Main.print(deletedContainers(pruned) + "Total reclaimed space: " + Units.humanSize(pruned.reclaimed()) + "\n");
    }

    /** Docker's list of them, with the blank line after it; nothing when none was removed. */
    static String deletedContainers(ContainerSpace.PruneResult pruned) {
        if (pruned.deleted().isEmpty()) return "";
        return "Deleted Containers:\n" + String.join("\n", pruned.deleted()) + "\n\n";
    }
}
