package io.capsa.cli.runtime;

import java.nio.file.Path;

/**
 * The training runs of the AOT caches (bin/train-aot-cache), one per command family as bin/capsa-runtime picks
 * them, so that each cache holds the classes its commands load and no more: the JVM loads every class of
 * its cache at each start. A container gets one helper (the one bin/capsa-runtime forked, as a real call does): a
 * second would be started through FFM, whose classes would weigh on every start of the family.
 */
public final class Training {
    private Training() {}

    /**
     * Arguments: the family (run, create, lifecycle), a scratch directory, then optionally a bundle: run
     * runs it (its process exits at once), create creates it, and lifecycle takes the container
     * bin/train-aot-cache created from it, named training in the scratch directory's state (its process
     * runs until killed), through state, start and kill, and delete on a missing id (the script deletes
     * the containers). Without a bundle, the commands that need no container.
     */
    public static void main(String[] args) {
        String family = args[0];
        String root = Path.of(args[1]).resolve("state").toString();
        if (args.length < 3) {
            Main.run("spec", "--bundle", args[1]);
            Main.run("features");
            Main.run("--root", root, "list", "--format", "json");
            Main.run("--root", root, "create", "--bundle", args[1], "training");
        } else if (family.equals("run")) {
            Main.run("--root", root, "run", "--bundle", args[2], "training");
        } else if (family.equals("create")) {
            Main.run("--root", root, "create", "--bundle", args[2], "training");
        } else {
            Main.run("--root", root, "state", "training");
            Main.run("--root", root, "start", "training");
            Main.run("--root", root, "state", "training");
        }
        Main.run("--root", root, "state", "missing");
        Main.run("--root", root, "delete", "--force", "missing");
        if (family.equals("run")) Main.run("--root", root, "exec", "missing", "true");
        // Last: the container's one helper, which a delete that finds processes left would need too.
        if (family.equals("lifecycle") && args.length > 2) Main.run("--root", root, "kill", "training", "KILL");
    }
}
