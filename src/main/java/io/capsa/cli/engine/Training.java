package io.capsa.cli.engine;

/**
 * The training run of the engine's AOT cache (bin/train-aot-cache), for the commands bin/capsa starts with it:
 * a foreground `run --rm`, a detached run and its `rm -f`, on the data and run roots given, whose busybox image
 * is there already, without a network (a build makes no bridge and no firewall rule on its machine). Each command takes the helpers it needs from those the launcher forked (four): one
 * started through FFM would put FFM's classes into the cache, which the JVM loads at every start.
 */
public final class Training {
    private Training() {}

    /** Arguments: --data-root DIR --run-root DIR. */
    public static void main(String[] roots) {
        Main.run(with(roots, "run", "--rm", "--network", "none", "busybox", "true"));
        Main.run(with(roots, "run", "--detach", "--network", "none", "--name", "capsa-training", "busybox", "sleep", "60"));
        Main.run(with(roots, "rm", "--force", "capsa-training"));
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static String[] with(String[] roots, String... command) {
        String[] args = new String[roots.length + command.length];
        System.arraycopy(roots, 0, args, 0, roots.length);
        System.arraycopy(command, 0, args, roots.length, command.length);
        return args;
    }
}
