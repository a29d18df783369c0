package io.capsa.image.store;

import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.Manifest;
import io.capsa.image.Manifests;
import io.capsa.image.MediaTypes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mark and sweep over a data root, under the store lock held exclusively: no ingest, unpack or record
 * change runs meanwhile in any process, so whatever sits in tmp/ is left over from a crash, and a blob or
 * layer that no record reaches is an orphan.
 */
public final class GarbageCollector {
    /** What a collection removed. */
    public record Result(List<Digest> blobs, List<Digest> layers, int temporaries) {
    }

    private final DataRoot root;
    private final ContentStore blobs;
    private final ImageRecords images;
    private final LayerStore layers;

    GarbageCollector(DataRoot root, ContentStore blobs, ImageRecords images, LayerStore layers) {
        this.root = root;
        this.blobs = blobs;
        this.images = images;
        this.layers = layers;
    }

    Result collect(Collection<Digest> inUse) {
        try (Lease lease = root.lock().exclusive()) {
            int temporaries = 0;
            try (var leftovers = Files.newDirectoryStream(root.tmp())) {
                for (Path p : leftovers) {
                    FileTrees.delete(p);
                    temporaries++;
                }
            }
            try (var locks = Files.newDirectoryStream(root.locks())) {
                for (Path p : locks) Files.delete(p); // nobody holds one: ingests hold the store lock too
            }
            Set<Digest> liveBlobs = new HashSet<>();
            Set<Digest> liveLayers = new HashSet<>();
            for (ImageRecord r : images.list()) mark(r.target(), liveBlobs, liveLayers);
            for (Digest d : inUse) mark(d, liveBlobs, liveLayers);
            List<Digest> removedBlobs = new ArrayList<>();
            for (Digest d : blobs.list()) {
                if (liveBlobs.contains(d)) continue;
                blobs.delete(d);
                removedBlobs.add(d);
            }
            List<Digest> removedLayers = new ArrayList<>();
            for (Digest d : layers.list()) {
                if (liveLayers.contains(d)) continue;
                layers.delete(d);
                removedLayers.add(d);
            }
            layers.deleteDanglingLinks();
            return new Result(List.copyOf(removedBlobs), List.copyOf(removedLayers), temporaries);
        } catch (IOException e) {
            throw new ImageException("garbage collection in " + root.dir() + ": " + e.getMessage(), e);
        }
    }

    /** A manifest or index and all it reaches; what the store lacks (an index's other platforms) is skipped. */
    private void mark(Digest digest, Set<Digest> liveBlobs, Set<Digest> liveLayers) {
        if (!liveBlobs.add(digest) || !blobs.has(digest)) return;
        byte[] json = blobs.read(digest);
        String type = Manifests.mediaType(json, null, "manifest " + digest);
        if (MediaTypes.isIndex(type)) {
            for (var m : Manifests.index(json, "index " + digest).manifests()) mark(m.digest(), liveBlobs, liveLayers);
        } else if (MediaTypes.isManifest(type)) {
            Manifest manifest = Manifests.manifest(json, "manifest " + digest);
            Digest config = manifest.config().digest();
            liveBlobs.add(config);
            for (var layer : manifest.layers()) liveBlobs.add(layer.digest());
            if (blobs.has(config))
                liveLayers.addAll(ChainIds.of(Manifests.config(blobs.read(config), "config " + config).diffIds()));
        }
    }
}
