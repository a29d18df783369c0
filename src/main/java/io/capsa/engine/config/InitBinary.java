package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * --init: a static init binary of the host, bind-mounted read-only where Docker puts its own, that runs the
 * command as its child, reaps zombies and passes signals on. Debian's catatonit (package catatonit, which
 * podman pulls in) or tini-static (package tini).
 */
final class InitBinary {
    private InitBinary() {}

    static final String DESTINATION = "/sbin/docker-init";
    static final List<Path> CANDIDATES = List.of(Path.of("/usr/libexec/podman/catatonit"), Path.of("/usr/bin/catatonit"),
            Path.of("/usr/bin/tini-static"));

    static Path find() {
        for (Path p : CANDIDATES) {
            try {
                if (Files.isExecutable(p)) return p.toRealPath(); // the file, not podman's link to it
            } catch (IOException e) {
                // gone since: the next one
            }
        }
        throw new CapsaException("--init needs an init binary: install catatonit or tini (none of " + CANDIDATES + " is there)");
    }

    /** The process arguments with the init in front. */
    static List<String> wrap(List<String> args) {
        List<String> wrapped = new ArrayList<>(List.of(DESTINATION, "--"));
        wrapped.addAll(args);
        return wrapped;
    }
}
