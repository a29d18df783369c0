package io.capsa.image.store;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;

import java.nio.file.Path;

/** An unpacked layer: its chain ID names its directory (layers/<hex>), an overlay lower directory. */
public record Layer(Digest chainId, Digest diffId, Descriptor blob, Path dir) {
}
