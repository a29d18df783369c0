package io.capsa.seccomp;

import io.capsa.engine.config.CapabilitySet;
import io.capsa.engine.config.KernelVersion;
import io.capsa.engine.config.SeccompProfiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The default seccomp profiles of Docker (moby b985e23's vendor/github.com/moby/profiles/seccomp/default.json,
 * the engine's own resource) and Podman (as Debian's
 * golang-github-containers-common installs it), turned into the linux.seccomp an engine hands a runtime
 * by the engine's SeccompProfiles, with each engine's default capabilities.
 */
public final class EngineProfiles {
    private EngineProfiles() {}

    /** containers.conf's default_capabilities. */
    public static final List<String> PODMAN_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT");
    public static final Path PODMAN_PROFILE = Path.of("/usr/share/containers/seccomp.json");

    public static Map<String, Object> docker(String goArch) {
        return SeccompProfiles.forContainer(SeccompProfiles.dockerDefault(), goArch, NEW_KERNEL, CapabilitySet.DOCKER_DEFAULT);
    }

    public static Map<String, Object> podman(String goArch) {
        try {
            return SeccompProfiles.forContainer(Files.readString(PODMAN_PROFILE), goArch, NEW_KERNEL, PODMAN_CAPS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kernel versions are taken to be new enough. */
    private static final KernelVersion NEW_KERNEL = new KernelVersion(99, 0);
}
