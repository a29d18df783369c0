package io.capsa.image.registry;

/** The media types of manifests and layers that pulls and pushes meet. */
public final class MediaTypes {
    private MediaTypes() {}

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_NONDISTRIBUTABLE_PREFIX = "application/vnd.oci.image.layer.nondistributable.";

    /** What a manifest GET accepts, as Docker sends it. */
    static final String MANIFEST_ACCEPT = String.join(", ", OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    /** Layers whose content lives outside the registry (Windows base layers): Docker does not pull them either. */
    public static boolean isForeignLayer(String mediaType) {
        return DOCKER_FOREIGN_LAYER.equals(mediaType) || mediaType.startsWith(OCI_NONDISTRIBUTABLE_PREFIX);
    }

    /** The layer types an unpacker reads: a tar, plain or compressed with gzip or zstd. */
    public static boolean isLayer(String mediaType) {
        return DOCKER_LAYER.equals(mediaType) || OCI_LAYER.equals(mediaType) || OCI_LAYER_GZIP.equals(mediaType)
                || OCI_LAYER_ZSTD.equals(mediaType);
    }
}
