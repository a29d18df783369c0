package io.capsa.cli;

import java.nio.file.Path;

/**
 * The AOT cache's training run (bin/train-aot-cache), so that the classes each command loads are in the
 * cache. Given a bundle, a container is run (through the helper bin/capsa forked, as a real call does),
 * then the commands containerd calls besides create, start and delete, on ids that do not exist: a
 * second container would need a helper started through FFM, whose classes would weigh on every start.
 * Without a bundle, the commands that need no container.
 */
public final class Training {
    private Training() {}

    /** Arguments: a scratch directory, then optionally a bundle whose process exits at once. */
    public static void main(String[] args) {
        Path work = Path.of(args[0]);
        String root = work.resolve("state").toString();
        if (args.length > 1) {
            Main.run("--root", root, "run", "--bundle", args[1], "training");
        } else {
            Main.run("spec", "--bundle", work.toString());
            Main.run("features");
            Main.run("--root", root, "list", "--format", "json");
            Main.run("--root", root, "create", "--bundle", work.toString(), "training");
        }
        Main.run("--root", root, "state", "missing");
        Main.run("--root", root, "kill", "missing", "KILL");
        Main.run("--root", root, "exec", "missing", "true");
        Main.run("--root", root, "list");
        Main.run("--root", root, "delete", "--force", "missing");
    }
}
