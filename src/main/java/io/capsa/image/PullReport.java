package io.capsa.image;

import io.capsa.image.store.Layer;

import java.util.List;

/**
 * What a pull left in the store.
 *
 * @param names    the image records it wrote: the reference's name ({@code docker.io/library/busybox:latest}),
 *                 and its repository at the digest ({@code docker.io/library/busybox@sha256:...})
 * @param digest   what the names point to: the index or manifest the reference named
 * @param manifest the image manifest for the platform (the digest itself when that is no index)
 * @param layers   the layers, unpacked, bottom first
 * @param fetched  the blobs that came over the network; empty when the store had them all
 */
public record PullReport(List<String> names, Digest digest, Digest manifest, List<Layer> layers, List<Descriptor> fetched) {
}
