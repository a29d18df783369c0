package io.capsa.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test makes with ip netns (named capsa-it-RUN-..., so that the leak check finds any left)
 * and the processes it starts in them; close() ends those processes by their handles and deletes the
 * namespaces.
 */
final class NetworkNamespaces implements AutoCloseable {
    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** A new namespace; returns its name (its file is /run/netns/NAME). */
    synchronized String add() {
        String name = "capsa-" + ContainerTestBase.newId();
        run(List.of("ip", "netns", "add", name));
        names.add(name);
        return name;
    }

    static Path path(String name) {
        return Path.of("/run/netns", name);
    }

    /** Runs a command in the namespace to its end (at most 10 s): its exit code and output. */
    static Cli.Result in(String namespace, String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(List.of(command));
        return run(all);
    }

    /** Starts a server in the namespace; close() ends it. */
    Process start(String namespace, String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(all).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Cli.Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            p.getOutputStream().close();
            var err = p.getErrorStream();
            var out = p.getInputStream();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not end in 10 s");
            }
            return new Cli.Result(p.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8), new String(err.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor();
        }
        for (String name : names) run(List.of("ip", "netns", "delete", name));
    }
}
