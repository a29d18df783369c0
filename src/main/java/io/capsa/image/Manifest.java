package io.capsa.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An image manifest (OCI or Docker schema2): one config and the layers, bottom first. */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
    /**
     * Config then layers, if capsa can run the image: a container config and layers the unpacker reads;
     * else an error that names the image ({@code name}) and the blob, so that a pull refuses it before a byte
     * of it is fetched.
     */
    public List<Descriptor> runnableBlobs(String name) {
        if (!config.mediaType().equals(MediaTypes.DOCKER_CONFIG) && !config.mediaType().equals(MediaTypes.OCI_CONFIG))
            throw new ImageException(name + ": not a container image (its config is " + config.mediaType() + ")");
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(config);
        for (Descriptor layer : layers) {
            if (MediaTypes.isForeignLayer(layer.mediaType()))
                throw new ImageException(name + ": layer " + layer.digest() + " is a foreign (non-distributable) layer ("
                        + layer.mediaType() + "), which capsa does not pull");
            if (!MediaTypes.isLayer(layer.mediaType()))
                throw new ImageException(name + ": layer " + layer.digest() + " has media type " + layer.mediaType()
                        + ", which is no tar, tar+gzip or tar+zstd layer");
            blobs.add(layer);
        }
        return blobs;
    }
}
