package io.capsa.cli;

import java.nio.file.Path;

/**
 * The AOT cache's training run (bin/train-aot-cache): the commands that need no container, run in a
 * scratch directory, so that the classes every call loads are in the cache.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) {
        Path work = Path.of(args[0]);
        String root = work.resolve("state").toString();
        Main.run("spec", "--bundle", work.toString());
        Main.run("features");
        Main.run("--root", root, "list");
        Main.run("--root", root, "list", "--format", "json");
        Main.run("--root", root, "state", "missing");
        Main.run("--root", root, "create", "--bundle", work.toString(), "training");
        Main.run("--root", root, "kill", "missing", "KILL");
        Main.run("--root", root, "delete", "--force", "missing");
    }
}
