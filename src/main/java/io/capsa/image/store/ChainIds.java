package io.capsa.image.store;

import io.capsa.image.Digest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs (OCI image-spec, config.md): the first layer's is its diffID, each next one the sha256 of
 * "parentChainID diffID". A chain ID names a layer together with everything below it, which is what an
 * unpacked layer directory depends on (its whiteouts hide files of the layers below).
 */
public final class ChainIds {
    private ChainIds() {}

    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest parent = null;
        for (Digest diffId : diffIds) {
            parent = parent == null ? diffId : Digest.of((parent + " " + diffId).getBytes(StandardCharsets.US_ASCII));
            chain.add(parent);
        }
        return List.copyOf(chain);
    }
}
