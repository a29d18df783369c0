package io.capsa.image.archive;

/** The two image tarballs that docker, podman, skopeo and containerd exchange. */
public enum ArchiveFormat {
    /** `docker save`: manifest.json (Config, RepoTags, Layers), the config, the layers as uncompressed tars. */
    DOCKER,
    /** An OCI image layout in a tar: oci-layout, index.json, blobs/sha256/. */
    OCI
}
