package io.capsa.image.store;

import io.capsa.image.Digest;
import io.capsa.image.ImageConfig;
import io.capsa.image.ImageException;
import io.capsa.image.ImageIndex;
import io.capsa.image.Manifest;
import io.capsa.image.Manifests;
import io.capsa.image.MediaTypes;
import io.capsa.image.Platform;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The local image store of a data root: blobs, image records and unpacked layers. A pull
 * ({@link io.capsa.image.Images#pull}) is: hold a {@link #lease()}, ingest the manifest, config and layer blobs
 * that {@link ContentStore#has} lacks, {@link #unpack} the manifest, and record the name ({@link ImageRecords#put}).
 */
public final class ImageStore {
    private final DataRoot root;
    private final ContentStore blobs;
    private final ImageRecords images;
    private final LayerStore layers;

    public ImageStore(Path dataRoot) {
        this.root = new DataRoot(dataRoot);
        this.blobs = new ContentStore(root);
        this.images = new ImageRecords(root);
        this.layers = new LayerStore(root, blobs);
    }

    public DataRoot root() {
        return root;
    }

    public ContentStore blobs() {
        return blobs;
    }

    public ImageRecords images() {
        return images;
    }

    public LayerStore layers() {
        return layers;
    }

    /** Keeps the garbage collector out while it is held (in this and any other process): hold it for a whole pull. */
    public Lease lease() {
        return root.lock().shared();
    }

    public Manifest manifest(Digest digest) {
        return Manifests.manifest(blobs.read(digest), "manifest " + digest);
    }

    public ImageIndex index(Digest digest) {
        return Manifests.index(blobs.read(digest), "index " + digest);
    }

    public ImageConfig config(Digest digest) {
        return Manifests.config(blobs.read(digest), "config " + digest);
    }

    /** The image manifest a stored manifest or index names for a platform. */
    public Digest manifestFor(Digest target, Platform platform) {
        byte[] json = blobs.read(target);
        String type = Manifests.mediaType(json, null, "manifest " + target);
        if (MediaTypes.isManifest(type)) return target;
        if (MediaTypes.isIndex(type)) return Manifests.index(json, "index " + target).select(platform, "index " + target).digest();
        throw new ImageException("manifest " + target + ": unsupported media type " + type);
    }

    /** The layers of a stored image manifest, bottom first (not unpacked by this). */
    public List<Layer> layers(Digest manifestDigest) {
        Manifest manifest = manifest(manifestDigest);
        manifest.runnableBlobs("manifest " + manifestDigest);
        return layers.describe(manifest.layers(), config(manifest.config().digest()).diffIds());
    }

    /** Unpacks the layers of a stored image manifest whose blobs are all in the store; bottom first. */
    public List<Layer> unpack(Digest manifestDigest) {
        try (Lease lease = lease()) {
            return layers.unpack(layers(manifestDigest));
        }
    }

    /**
     * Removes what no image record names: blobs, layers, everything under tmp/ (unpacks of crashed processes,
     * and partial ingests, which a later pull then starts over) and the per-blob lock files. inUse names
     * further manifests to keep: those of containers, whose root file systems use the layers even after
     * their image's name is removed. Waits for every lease to end.
     */
    public GarbageCollector.Result collectGarbage(Collection<Digest> inUse) {
        return new GarbageCollector(root, blobs, images, layers).collect(inUse);
    }
}
