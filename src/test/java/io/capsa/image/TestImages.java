package io.capsa.image;

import io.capsa.image.store.ImageStore;

import java.util.List;

/** Images made in the store by the tests: tars as layers, a config, a manifest. */
public final class TestImages {
    private TestImages() {}

    /** A stored image: one layer per tar, a config naming the given diffIDs, a manifest. */
    public static Digest store(ImageStore store, List<byte[]> tars, List<Digest> diffIds, String layerType) {
        StringBuilder layers = new StringBuilder(), ids = new StringBuilder();
        for (int i = 0; i < tars.size(); i++) {
            Digest layer = store.blobs().put(tars.get(i));
            layers.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(layerType).append("\",\"digest\":\"")
                    .append(layer).append("\",\"size\":").append(tars.get(i).length).append('}');
            ids.append(i == 0 ? "" : ",").append('"').append(diffIds.get(i)).append('"');
        }
        Digest config = store.blobs().put(("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[" + ids + "]}}").getBytes());
        return store.blobs().put(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + config + "\",\"size\":1},"
                + "\"layers\":[" + layers + "]}").getBytes());
    }
}
