package io.capsa.image.archive;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.ImageConfig;
import io.capsa.image.ImageException;
import io.capsa.image.Manifest;
import io.capsa.image.MediaTypes;
import io.capsa.image.reference.Reference;
import io.capsa.image.store.ChainIds;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Lease;
import io.capsa.image.unpack.Decompression;
import io.capsa.spec.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes images of the store to a docker-archive (what `docker save` writes and `docker load`, `podman load`
 * and skopeo read: manifest.json, repositories, the config as <hex>.json, each layer as an uncompressed tar
 * <v1 ID>/layer.tar with its json and VERSION) or an oci-archive (oci-layout, index.json with one entry per name, annotated with
 * the full name as both containerd and podman read it, and the blobs as stored). An image recorded as an
 * index is saved as the manifest of it that the store holds.
 */
public final class ArchiveSaver {
    private final ImageStore store;
    private final Set<String> written = new HashSet<>();

    private ArchiveSaver(ImageStore store) {
        this.store = store;
    }

    /**
     * Writes the archive to a temporary file next to the target and renames it: whole or not at all. The
     * file is made as docker save makes it, with the umask's mode (a temp file's would be 0600).
     */
    public static void save(ImageStore store, List<String> names, ArchiveFormat format, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path temp = dir.resolve("." + file.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".partial");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    OutputStream out = Channels.newOutputStream(channel);
                    save(store, names, format, out);
                    out.flush();
                    channel.force(true);
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (NoSuchFileException e) {
            throw new ImageException("save " + file + ": no such directory " + dir);
        } catch (IOException e) {
            throw new ImageException("save " + file + ": " + e.getMessage(), e);
        }
    }

    public static void save(ImageStore store, List<String> names, ArchiveFormat format, OutputStream out) {
        if (names.isEmpty()) throw new ImageException("save: no image named");
        try (Lease lease = store.lease()) {
            ArchiveSaver saver = new ArchiveSaver(store);
            List<Image> images = new ArrayList<>();
            for (String name : names) images.add(saver.image(name));
            TarWriter tar = new TarWriter(out);
            if (format == ArchiveFormat.DOCKER) saver.docker(images, tar);
            else saver.oci(images, tar);
            tar.finish();
        } catch (IOException e) {
            throw new ImageException("save: " + e.getMessage(), e);
        }
    }

    private record Image(String name, Descriptor manifestDescriptor, Manifest manifest, ImageConfig config) {
    }

    private Image image(String given) {
        String name = ArchiveLoader.canonical(given);
        ImageRecord record = store.images().get(name)
                .orElseThrow(() -> new ImageException("save: image " + name + " is not in the store"));
        Digest digest = record.target();
        String type = record.mediaType();
        if (MediaTypes.isIndex(type)) {
            Descriptor held = null;
            for (Descriptor d : store.index(digest).manifests()) if (store.blobs().has(d.digest())) held = d;
            if (held == null) throw new ImageException("save: image " + name + ": the store holds no manifest of its index");
            digest = held.digest();
            type = held.mediaType();
        }
        Manifest manifest = store.manifest(digest);
        return new Image(name, new Descriptor(type, digest, store.blobs().size(digest)), manifest,
                store.config(manifest.config().digest()));
    }

    private void docker(List<Image> images, TarWriter tar) throws IOException {
        Map<Digest, Map<String, Object>> entries = new LinkedHashMap<>(); // by config: one entry, all its names
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        for (Image image : images) {
            Digest config = image.manifest.config().digest();
            List<Digest> chainIds = ChainIds.of(image.config.diffIds());
            Map<String, Object> entry = entries.get(config);
            if (entry == null) {
                List<String> layers = new ArrayList<>();
                for (int i = 0; i < image.manifest.layers().size(); i++)
                    layers.add(dockerLayer(tar, image.manifest.layers().get(i), image.config.diffIds().get(i),
                            chainIds.get(i), i == 0 ? null : chainIds.get(i - 1)));
                String configName = config.hex() + ".json";
                if (written.add(configName)) tar.file(configName, store.blobs().read(config));
                entry = new LinkedHashMap<>();
                entry.put("Config", configName);
                entry.put("RepoTags", new ArrayList<String>());
                entry.put("Layers", layers);
                entries.put(config, entry);
            }
            @SuppressWarnings("unchecked") List<String> tags = (List<String>) entry.get("RepoTags");
            tags.add(image.name);
            Reference ref = Reference.parse(image.name);
            if (!chainIds.isEmpty() && ref.tag() != null)
                repositories.computeIfAbsent(ref.repository(), r -> new LinkedHashMap<>()).put(ref.tag(), chainIds.getLast().hex());
        }
        tar.file("manifest.json", Json.write(new ArrayList<>(entries.values())).getBytes(StandardCharsets.UTF_8));
        if (!repositories.isEmpty()) tar.file("repositories", Json.write(repositories).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A layer as an uncompressed tar in the directory of its v1 ID, with the json and VERSION that loaders of
     * archives without manifest.json read: the chain ID serves as the v1 ID (unique to the layer and all
     * below it, as Docker's own are). A stored uncompressed layer is copied; another decompressed into tmp/
     * first, for its size.
     */
    private String dockerLayer(TarWriter tar, Descriptor layer, Digest diffId, Digest chainId, Digest parent) throws IOException {
        String name = chainId.hex() + "/layer.tar";
        if (!written.add(name)) return name;
        tar.directory(chainId.hex());
        tar.file(chainId.hex() + "/VERSION", "1.0".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", chainId.hex());
        if (parent != null) json.put("parent", parent.hex());
        tar.file(chainId.hex() + "/json", Json.write(json).getBytes(StandardCharsets.UTF_8));
        if (diffId.equals(layer.digest())) {
            try (InputStream in = store.blobs().open(layer.digest())) {
                tar.file(name, in, store.blobs().size(layer.digest()));
            }
            return name;
        }
        Path temp = Files.createTempFile(store.root().tmp(), "save-", ".tar");
        try {
            MessageDigest sha = Digest.sha256();
            try (InputStream in = new DigestInputStream(Decompression.open(store.blobs().open(layer.digest())), sha);
                 OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(out);
            }
            if (!Digest.of(sha).equals(diffId))
                throw new ImageException("layer " + layer.digest() + ": diffID mismatch: the config says " + diffId
                        + ", the layer is " + Digest.of(sha));
            try (InputStream in = Files.newInputStream(temp)) {
                tar.file(name, in, Files.size(temp));
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return name;
    }

    private void oci(List<Image> images, TarWriter tar) throws IOException {
        tar.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        tar.directory("blobs");
        tar.directory("blobs/sha256");
        List<Object> manifests = new ArrayList<>();
        for (Image image : images) {
            for (Descriptor layer : image.manifest.layers()) blob(tar, layer.digest());
            blob(tar, image.manifest.config().digest());
            blob(tar, image.manifestDescriptor.digest());
            Map<String, Object> d = ArchiveLoader.descriptor(image.manifestDescriptor.mediaType(),
                    image.manifestDescriptor.digest(), image.manifestDescriptor.size());
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(ArchiveLoader.CONTAINERD_NAME, image.name);
            annotations.put(ArchiveLoader.REF_NAME, image.name);
            d.put("annotations", annotations);
            manifests.add(d);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests);
        tar.file("index.json", Json.write(index).getBytes(StandardCharsets.UTF_8));
    }

    private void blob(TarWriter tar, Digest digest) throws IOException {
        String name = "blobs/sha256/" + digest.hex();
        if (!written.add(name)) return;
        try (InputStream in = store.blobs().open(digest)) {
            tar.file(name, in, store.blobs().size(digest));
        }
    }
}
