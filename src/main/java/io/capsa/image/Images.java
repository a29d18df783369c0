package io.capsa.image;

import io.capsa.image.reference.Reference;
import io.capsa.image.registry.ProgressListener;
import io.capsa.image.registry.PullResult;
import io.capsa.image.registry.PushOptions;
import io.capsa.image.registry.RegistryClient;
import io.capsa.image.registry.RegistryOptions;
import io.capsa.image.store.GarbageCollector;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Layer;
import io.capsa.image.store.Lease;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Collection;
import java.util.List;

/**
 * Images as a user handles them, by reference: the registry client and the local store together. Names are
 * kept in the canonical form references normalize to ({@code busybox} is {@code docker.io/library/busybox:latest}).
 * Each failure is one {@link ImageException} (a {@link io.capsa.image.registry.RegistryException} from the
 * registry, a {@link io.capsa.image.reference.ReferenceException} for a malformed reference) whose message names
 * the image and the cause.
 */
public final class Images implements AutoCloseable {
    private final ImageStore store;
    private final RegistryOptions registryOptions;
    private RegistryClient client; // made on first use: java.net.http loads many classes, local commands need none

    public Images(ImageStore store, RegistryOptions registryOptions) {
        this.store = store;
        this.registryOptions = registryOptions;
    }

    /**
     * Fetches the image for the platform into the store (blobs it has are not fetched again), unpacks its layers
     * (each as soon as it is stored, while the others download: {@link UnpackAhead}), and only then records its
     * names, all under one lease: a pull that fails leaves no name, and the garbage collector reclaims whatever it
     * stored.
     */
    public PullReport pull(String reference, PullOptions options) {
        Reference ref = Reference.parse(reference);
        List<Descriptor> fetched = Collections.synchronizedList(new ArrayList<>());
        try (Lease lease = store.lease()) {
            RegistryClient.Resolved resolved = client().resolve(ref, options.platform());
            PullResult result;
            try (UnpackAhead unpacker = new UnpackAhead(store, resolved)) {
                result = client().pull(resolved, options.platform(), store.blobs(), listener(options.listener(), fetched, unpacker));
                unpacker.finish();
            }
            List<Layer> layers = store.unpack(result.manifest().digest()); // all unpacked: describes them
            Descriptor top = result.index() != null ? result.index() : result.manifest();
            List<String> names = new ArrayList<>();
            if (ref.digest() == null) names.add(ref.toString());
            names.add(atDigest(ref, top.digest()));
            for (String name : names) store.images().put(name, top.digest(), top.mediaType());
            return new PullReport(List.copyOf(names), top.digest(), result.manifest().digest(), layers, List.copyOf(fetched));
        }
    }

    /** Passes a pull's progress on, noting the blobs fetched, and tells the unpacker which blobs are stored. */
    private static ProgressListener listener(ProgressListener user, List<Descriptor> fetched, UnpackAhead unpacker) {
        return new ProgressListener() {
            @Override
            public void skipped(Descriptor blob) {
                unpacker.ready(blob);
                user.skipped(blob);
            }

            @Override
            public void started(Descriptor blob) {
                fetched.add(blob);
                user.started(blob);
            }

            @Override
            public void bytes(Descriptor blob, long done) {
                user.bytes(blob, done);
            }

            @Override
            public void done(Descriptor blob) {
                unpacker.ready(blob);
                user.done(blob);
            }
        };
    }

    /** Every name the store knows, with what it points to. */
    public List<ImageRecord> list() {
        return store.images().list();
    }

    /** The stored image a reference names, with its manifest, configuration and layers for the platform. */
    public ImageInfo inspect(String reference, Platform platform) {
        ImageRecord record = lookup(reference);
        Digest manifest = store.manifestFor(record.target(), platform);
        ImageConfig config = store.config(store.manifest(manifest).config().digest());
        return new ImageInfo(record, manifest, config, store.layers(manifest));
    }

    /** Gives a stored image another name ({@code target}, a tag: a digest is the content's own). */
    public ImageRecord tag(String source, String target) {
        ImageRecord record = lookup(source);
        Reference to = Reference.parse(target);
        if (to.digest() != null) throw new ImageException("cannot tag " + record.name() + " as " + target + ": a tag cannot name a digest");
        store.images().put(to.toString(), record.target(), record.mediaType());
        return store.images().get(to.toString()).orElseThrow();
    }

    /**
     * Removes a name. When no tag is left on the image, its names by digest go too; the blobs and layers stay
     * until {@link #collectGarbage}. Returns the records removed.
     */
    public List<ImageRecord> remove(String reference) {
        ImageRecord record = lookup(reference);
        List<ImageRecord> removed = new ArrayList<>();
        store.images().remove(record.name()).ifPresent(removed::add);
        List<ImageRecord> sameImage = new ArrayList<>();
        for (ImageRecord r : store.images().list()) {
            if (!r.target().equals(record.target())) continue;
            if (!r.name().contains("@")) return removed; // still tagged
            sameImage.add(r);
        }
        for (ImageRecord r : sameImage) store.images().remove(r.name()).ifPresent(removed::add);
        return removed;
    }

    /** Removes the blobs and layers that no name keeps and no container (its manifest in inUse) needs. */
    public GarbageCollector.Result collectGarbage(Collection<Digest> inUse) {
        return store.collectGarbage(inUse);
    }

    /**
     * Pushes a stored image to the registry its reference names, under the reference's tag. An index the store
     * holds only in part (a pull takes one platform of it) goes up as the platform's manifest alone. Returns the
     * digest pushed.
     */
    public Digest push(String reference, Platform platform, PushOptions options, ProgressListener listener) {
        ImageRecord record = lookup(reference);
        Digest digest = record.target();
        String mediaType = record.mediaType();
        if (MediaTypes.isIndex(mediaType) && !complete(store.index(digest))) {
            digest = store.manifestFor(digest, platform);
            mediaType = store.manifest(digest).mediaType();
        }
        Descriptor manifest = new Descriptor(mediaType, digest, store.blobs().size(digest));
        return client().push(Reference.parse(reference), manifest, store.blobs(), options, listener);
    }

    private boolean complete(ImageIndex index) {
        for (Descriptor entry : index.manifests()) {
            if (!store.blobs().has(entry.digest())) return false;
        }
        return true;
    }

    private ImageRecord lookup(String reference) {
        Reference ref = Reference.parse(reference);
        String name = ref.digest() != null ? atDigest(ref, ref.digest()) : ref.toString();
        return store.images().get(name).orElseThrow(() -> new ImageException("no such image: " + name));
    }

    private static String atDigest(Reference ref, Digest digest) {
        return ref.repository() + "@" + digest;
    }

    private synchronized RegistryClient client() {
        if (client == null) client = new RegistryClient(registryOptions);
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) client.close();
    }
}
