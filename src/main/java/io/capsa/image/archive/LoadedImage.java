package io.capsa.image.archive;

import io.capsa.image.Digest;

import java.util.List;

/**
 * One image an archive held, as the store now records it: its names (empty for an unnamed one, recorded
 * under its digest), the manifest (or index) its names point to, and its config.
 */
public record LoadedImage(List<String> names, Digest target, String mediaType, Digest config) {
}
