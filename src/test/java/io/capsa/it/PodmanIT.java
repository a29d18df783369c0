package io.capsa.it;

/** podman (with conmon) running capsa. */
class PodmanIT extends DockerCompatibleIT {
    @Override
    DockerCompatible start() {
        return new Podman();
    }
}
