package io.capsa.image.archive;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.ImageConfig;
import io.capsa.image.ImageException;
import io.capsa.image.Manifest;
import io.capsa.image.Manifests;
import io.capsa.image.MediaTypes;
import io.capsa.image.reference.Reference;
import io.capsa.image.reference.ReferenceException;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Lease;
import io.capsa.image.unpack.Decompression;
import io.capsa.image.unpack.Decompression.Compression;
import io.capsa.image.unpack.TarEntry;
import io.capsa.image.unpack.TarReader;
import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.SpecException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads a docker-archive or an oci-archive (plain, gzip or zstd; from a file or a stream such as stdin) into
 * the store, as `docker load` and `podman load` do. The archive is read once, as a stream: every member goes
 * into the store as a blob as it passes (blobs/sha256/<hex> verified against its name; any other member by
 * the digest of what it holds), except the metadata files and other small members (a docker-archive's
 * config, legacy json files), which wait in memory until a manifest names them. Only then is the format told (an
 * index.json makes an oci-archive, a manifest.json a docker-archive; Docker 25 writes both and the index
 * wins), every image checked whole, and its names recorded. A failure records nothing; the blobs that came
 * before it are orphans for the garbage collector.
 */
public final class ArchiveLoader {
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final Pattern BLOB = Pattern.compile("blobs/sha256/[0-9a-f]{64}");
    /** Up to this size, and this much in all, members not named by their digest wait in memory. */
    private static final long SMALL = 1 << 20, SMALL_TOTAL = 64 << 20;
    /** Members read into memory rather than stored: what tells the format and names the images. */
    private static final List<String> METADATA = List.of("index.json", "manifest.json", "oci-layout", "repositories");

    private final ImageStore store;
    private final Map<String, byte[]> metadata = new HashMap<>();
    /** Members stored as blobs as they passed. */
    private final Map<String, Digest> members = new HashMap<>();
    /** Small members (configs, the legacy json and VERSION files) kept in memory: stored only if a manifest names them. */
    private final Map<String, byte[]> small = new HashMap<>();
    private long smallBytes;
    private final Map<String, String> links = new HashMap<>();

    private ArchiveLoader(ImageStore store) {
        this.store = store;
    }

    public static List<LoadedImage> load(ImageStore store, Path archive) {
        try (InputStream in = Files.newInputStream(archive)) {
            return load(store, in, archive.toString());
        } catch (NoSuchFileException e) {
            throw new ImageException("load " + archive + ": no such file");
        } catch (IOException e) {
            throw new ImageException("load " + archive + ": " + e.getMessage(), e);
        }
    }

    /** Loads the archive the stream holds; source names it in errors ("-" for stdin, say). */
    public static List<LoadedImage> load(ImageStore store, InputStream in, String source) {
        try (Lease lease = store.lease()) {
            return new ArchiveLoader(store).read(in).images();
        } catch (ImageException e) {
            throw new ImageException("load " + source + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ImageException("load " + source + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    private ArchiveLoader read(InputStream in) throws IOException {
        TarReader tar = new TarReader(Decompression.open(in));
        String last = null;
        for (TarEntry entry = next(tar, last); entry != null; entry = next(tar, last)) {
            String name = ArchiveNames.clean(entry.name());
            switch (entry.type()) {
                case FILE -> member(name, entry, tar.content());
                case SYMLINK -> links.put(name, ArchiveNames.linkTarget(name, entry.linkName()));
                case HARDLINK -> links.put(name, ArchiveNames.clean(entry.linkName()));
                case DIRECTORY -> {}
                default -> throw new ImageException("member " + name + ": a device or fifo has no place in an image archive");
            }
            last = name;
        }
        return this;
    }

    /** The next member; a first header that is no tar header says the input is not a tar at all, not which bytes it had. */
    static TarEntry next(TarReader tar, String last) throws IOException {
        try {
            return tar.next();
        } catch (ImageException e) {
            if (last == null) throw new ImageException("not a tar archive (nor a gzip or zstd compressed one)", e);
            // the reader's message may quote the bad header's name: its bytes, not the user's, so no control characters
            throw new ImageException("corrupt tar archive after member " + last + ": "
                    + e.getMessage().replaceAll("\\p{Cntrl}", "?"), e);
        }
    }

    private void member(String name, TarEntry entry, InputStream content) throws IOException {
        if (METADATA.contains(name)) {
            if (entry.size() > Json.MAX_BYTES) throw new ImageException(name + ": " + entry.size() + " bytes is too large");
            metadata.put(name, content.readAllBytes());
        } else if (BLOB.matcher(name).matches()) {
            Digest digest = new Digest(Digest.SHA256, name.substring(name.lastIndexOf('/') + 1));
            store.blobs().ingest(content, digest, entry.size());
            members.put(name, digest);
        } else if (entry.size() <= SMALL && smallBytes + entry.size() <= SMALL_TOTAL) {
            small.put(name, content.readAllBytes());
            smallBytes += entry.size();
        } else {
            members.put(name, stage(content, entry.size()));
        }
    }

    /** A member not named by its digest (a docker-archive's layer or config): hashed on its way to a temporary file, then stored. */
    private Digest stage(InputStream content, long size) throws IOException {
        Path temp = Files.createTempFile(store.root().tmp(), "load-", ".member");
        try {
            MessageDigest sha = Digest.sha256();
            try (OutputStream out = Files.newOutputStream(temp)) {
                new DigestInputStream(content, sha).transferTo(out);
            }
            Digest digest = Digest.of(sha);
            try (InputStream in = Files.newInputStream(temp)) {
                store.blobs().ingest(in, digest, size);
            }
            return digest;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private List<LoadedImage> images() throws IOException {
        if (metadata.containsKey("index.json")) return record(ociImages());
        if (metadata.containsKey("manifest.json")) return record(dockerImages());
        throw new ImageException("unknown archive format: neither an oci-archive (index.json) nor a docker-archive (manifest.json)");
    }

    /** Names are recorded only once every image of the archive is whole. */
    private List<LoadedImage> record(List<LoadedImage> images) {
        for (LoadedImage image : images) {
            if (image.names().isEmpty()) store.images().put(image.target().toString(), image.target(), image.mediaType());
            for (String name : image.names()) store.images().put(name, image.target(), image.mediaType());
        }
        return images;
    }

    private List<LoadedImage> ociImages() {
        var index = Manifests.index(metadata.get("index.json"), "index.json");
        List<LoadedImage> images = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            Digest config = check(d);
            images.add(new LoadedImage(ociNames(d.annotations()), d.digest(), d.mediaType(), config));
        }
        return images;
    }

    /** containerd's full name, else the ref.name when it is a full reference (podman's), else none (a bare tag). */
    private static List<String> ociNames(Map<String, String> annotations) {
        String full = annotations.get(CONTAINERD_NAME);
        if (full != null) return List.of(canonical(full));
        String ref = annotations.get(REF_NAME);
        if (ref != null && (ref.indexOf('/') >= 0 || ref.indexOf(':') >= 0)) return List.of(canonical(ref));
        return List.of();
    }

    /**
     * That a manifest and all it names are in the store, each of its size; returns its config. Of an index,
     * the manifests the archive holds (an export of one platform of a multi-platform image has only that
     * one), at least one; returns null.
     */
    private Digest check(Descriptor d) {
        present(d, "manifest");
        byte[] json = store.blobs().read(d.digest());
        String type = Manifests.mediaType(json, d.mediaType(), "manifest " + d.digest());
        if (MediaTypes.isIndex(type)) {
            int held = 0;
            for (Descriptor child : Manifests.index(json, "index " + d.digest()).manifests()) {
                if (!store.blobs().has(child.digest())) continue;
                check(child);
                held++;
            }
            if (held == 0) throw new ImageException("index " + d.digest() + ": none of its manifests is in the archive");
            return null;
        }
        Manifest manifest = Manifests.manifest(json, "manifest " + d.digest());
        present(manifest.config(), "config");
        for (Descriptor layer : manifest.layers()) present(layer, "layer");
        return manifest.config().digest();
    }

    private void present(Descriptor d, String what) {
        if (!store.blobs().has(d.digest())) throw new ImageException(what + " " + d.digest() + " is missing from the archive");
        long size = store.blobs().size(d.digest());
        if (size != d.size())
            throw new ImageException(what + " " + d.digest() + ": size mismatch: the descriptor says " + d.size() + ", the blob has " + size);
    }

    private List<LoadedImage> dockerImages() throws IOException {
        Node root;
        try {
            root = Json.parse(new String(metadata.get("manifest.json"), StandardCharsets.UTF_8), "manifest.json");
        } catch (SpecException e) {
            throw new ImageException(e.getMessage(), e);
        }
        List<LoadedImage> images = new ArrayList<>();
        try {
            for (Node image : root.list()) images.add(dockerImage(image));
        } catch (SpecException e) {
            throw new ImageException("manifest.json: " + e.getMessage(), e);
        }
        return images;
    }

    /** One manifest.json entry: its layers checked against the config's diff_ids, an OCI manifest written for them. */
    private LoadedImage dockerImage(Node image) throws IOException {
        String configName = image.get("Config").requiredString();
        Digest configDigest = member(configName);
        byte[] configJson = store.blobs().read(configDigest);
        List<String> layerNames = image.get("Layers").strings();
        List<Digest> blobs = new ArrayList<>();
        for (String layerName : layerNames) blobs.add(member(layerName));
        ImageConfig config = Manifests.config(configJson, configName);
        if (layerNames.size() != config.diffIds().size())
            throw new ImageException(configName + " has " + config.diffIds().size() + " diff_ids but manifest.json names "
                    + layerNames.size() + " layers");
        List<Object> layers = new ArrayList<>();
        for (int i = 0; i < layerNames.size(); i++) {
            Digest blob = blobs.get(i);
            Layer layer = layer(blob);
            Digest expected = config.diffIds().get(i);
            if (!layer.diffId.equals(expected))
                throw new ImageException("layer " + layerNames.get(i) + ": digest mismatch: the config's diff_id is "
                        + expected + ", the layer's " + layer.diffId);
            layers.add(descriptor(layer.mediaType, blob, store.blobs().size(blob)));
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", descriptor(MediaTypes.OCI_CONFIG, configDigest, configJson.length));
        manifest.put("layers", layers);
        Digest target = store.blobs().put(Json.write(manifest).getBytes(StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        for (String tag : image.get("RepoTags").strings()) names.add(canonical(tag));
        return new LoadedImage(List.copyOf(names), target, MediaTypes.OCI_MANIFEST, configDigest);
    }

    private record Layer(Digest diffId, String mediaType) {
    }

    /** A layer as the archive stored it: an uncompressed tar is its own diffID; a compressed one is read through. */
    private Layer layer(Digest blob) throws IOException {
        Compression compression;
        try (InputStream raw = store.blobs().open(blob)) {
            compression = Decompression.of(raw.readNBytes(4));
        }
        if (compression == Compression.NONE) return new Layer(blob, MediaTypes.OCI_LAYER);
        MessageDigest sha = Digest.sha256();
        try (InputStream tar = Decompression.open(store.blobs().open(blob))) {
            new DigestInputStream(tar, sha).transferTo(OutputStream.nullOutputStream());
        }
        return new Layer(Digest.of(sha), compression == Compression.GZIP ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER_ZSTD);
    }

    /** The blob of a member that manifest.json names, through the links docker save writes for repeated layers. */
    private Digest member(String path) {
        String name = ArchiveNames.clean(path);
        for (int hops = 0; links.containsKey(name); hops++) {
            if (hops == 40) throw new ImageException(path + ": too many levels of links");
            name = links.get(name);
        }
        if (small.containsKey(name)) return store.blobs().put(small.get(name));
        Digest digest = members.get(name);
        if (digest == null) throw new ImageException(path + " is missing from the archive");
        return digest;
    }

    static Map<String, Object> descriptor(String mediaType, Digest digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    static String canonical(String name) {
        try {
            return Reference.parse(name).toString();
        } catch (ReferenceException e) {
            throw new ImageException(e.getMessage(), e);
        }
    }
}
