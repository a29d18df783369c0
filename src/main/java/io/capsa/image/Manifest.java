package io.capsa.image;

import java.util.List;
import java.util.Map;

/** An image manifest (OCI or Docker schema2): one config and the layers, bottom first. */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
}
