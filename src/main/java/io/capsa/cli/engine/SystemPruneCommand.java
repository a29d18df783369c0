package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.files.ContainerSpace;

import java.io.IOException;

/**
 * docker system prune: the stopped containers, then the dangling images (with -a every image no container
 * uses), as container prune and image prune do them. capsa has no networks or build cache to prune.
 */
final class SystemPruneCommand implements Command {
    @Override
    public String names() {
        return "prune";
    }

    @Override
    public Usage usage() {
        return new Usage("Remove unused data", "",
                Flag.ofBoolean("-a, --all", "Remove all unused images not just dangling ones"),
                Flag.ofBoolean("-f, --force", "Do not prompt for confirmation"));
    }

    @Override
    public int run(Globals globals, Args args) throws IOException {
        boolean all = args.flag("--all");
        if (!args.flag("--force") && !ImagePruneCommand.confirmed("WARNING! This will remove:\n  - all stopped containers\n"
                + (all ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n"))) return Exit.OK;
        ContainerSpace.PruneResult containers = new ContainerSpace(globals.engine()).prune();
        ImagePruneCommand.Pruned images = ImagePruneCommand.prune(new LocalImages(globals), all);
        String deletedImages = images.report().isEmpty() ? "" : "Deleted Images:\n" + images.report() + "\n";
        return Main.print(ContainerPruneCommand.deletedContainers(containers) + deletedImages + "Total reclaimed space: "
                + Units.humanSize(containers.reclaimed() + images.reclaimed()) + "\n");
    }
}
