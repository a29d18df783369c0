package io.capsa.image;

import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.Layer;

import java.util.List;

/**
 * A stored image as {@link Images#inspect} shows it: the record of its name, the manifest for the platform, its
 * configuration and its layers (unpacked or not, bottom first).
 */
public record ImageInfo(ImageRecord record, Digest manifest, ImageConfig config, List<Layer> layers) {
}
