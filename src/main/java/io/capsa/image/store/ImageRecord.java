package io.capsa.image.store;

import io.capsa.image.Digest;

/**
 * A name the store knows an image by ("docker.io/library/busybox:latest" or "...@sha256:..."), the
 * manifest (or index) it points to, and when it was recorded (epoch milliseconds).
 */
public record ImageRecord(String name, Digest target, String mediaType, long created) {
}
