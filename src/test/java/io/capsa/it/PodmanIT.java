package io.capsa.it;

/** podman (with conmon) running capsa. */
class PodmanIT extends DockerCompatibleIT {
    @Override
    DockerCompatible engine() {
        return new Podman();
    }
}
