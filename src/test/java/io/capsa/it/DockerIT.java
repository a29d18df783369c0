package io.capsa.it;

/** docker (Debian's docker.io: dockerd with its own containerd and containerd-shim-runc-v2) running capsa. */
class DockerIT extends DockerCompatibleIT {
    @Override
    DockerCompatible engine() {
        return new Dockerd();
    }
}
