package io.capsa.cli.engine;

import io.capsa.engine.ContainerRecord;
import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.ImageInfo;
import io.capsa.image.Images;
import io.capsa.image.Platform;
import io.capsa.image.reference.Reference;
import io.capsa.image.reference.ReferenceException;
import io.capsa.image.registry.RegistryOptions;
import io.capsa.image.store.GarbageCollector;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Layer;
import io.capsa.image.unpack.Decompression;
import io.capsa.image.unpack.TarEntry;
import io.capsa.image.unpack.TarReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data root's images as docker's image commands find and show them: by reference or by image ID (the
 * config digest, or a prefix of its hex), names in docker's short form ("busybox:latest"), sizes as the
 * unpacked layers' bytes.
 */
final class LocalImages {
    final ImageStore store;
    final Images images;
    private final Map<Digest, ImageInfo> infos = new HashMap<>();
    private final Map<Layer, Long> layerSizes = new HashMap<>(); // a layer not unpacked is counted by reading it

    private final Globals globals;
    private Map<Digest, ContainerRecord> containerImages;

    LocalImages(Globals globals) {
        this.globals = globals;
        store = globals.imageStore();
        images = new Images(store, RegistryOptions.defaults());
    }

    /** A container of the image (by image ID), if any: such an image is in use. */
    Optional<ContainerRecord> containerOf(Digest id) {
        if (containerImages == null) {
            containerImages = new HashMap<>();
            for (ContainerRecord r : globals.engine().records()) containerImages.put(r.imageId(), r);
        }
        return Optional.ofNullable(containerImages.get(id));
    }

    /** Removes blobs and layers no name and no container's image needs any more. */
    GarbageCollector.Result collectGarbage() {
        List<Digest> inUse = new ArrayList<>();
        for (ContainerRecord r : globals.engine().records()) inUse.add(r.imageManifest());
        return images.collectGarbage(inUse);
    }

    /**
     * The image a user's text names, looked up as docker does: as a reference, then as an image ID or a prefix
     * of one; "No such image: TEXT" when neither.
     */
    ImageRecord find(String text) {
        ReferenceException malformed = null;
        try {
            Reference ref = Reference.parse(text);
            Optional<ImageRecord> named = store.images().get(ref.digest() != null ? ref.repository() + "@" + ref.digest() : ref.toString());
            if (named.isPresent()) return named.get();
        } catch (ReferenceException e) {
            malformed = e; // a full image ID is no reference, yet names an image
        }
        if (looksLikeId(text)) {
            for (ImageRecord r : images.list()) if (namesId(text, id(r))) return r;
        } else if (malformed != null) {
            throw malformed;
        }
        throw new ImageException("No such image: " + text);
    }

    /** Whether the text is the image ID or a prefix of its hex: "sha256:3f57...", "3f57d9401f8d". */
    static boolean namesId(String text, Digest id) {
        return looksLikeId(text) && id.hex().startsWith(hex(text));
    }

    private static boolean looksLikeId(String text) {
        String hex = hex(text);
        if (hex.isEmpty() || hex.length() > 64) return false;
        for (int i = 0; i < hex.length(); i++) if ("0123456789abcdef".indexOf(hex.charAt(i)) < 0) return false;
        return true;
    }

    private static String hex(String text) {
        return text.startsWith(Digest.SHA256 + ":") ? text.substring(Digest.SHA256.length() + 1) : text;
    }

    /** The image a record names, for this host's platform (read once per target). */
    ImageInfo info(ImageRecord record) {
        return infos.computeIfAbsent(record.target(), t -> images.inspect(record.name(), Platform.host()));
    }

    /** Docker's image ID: the digest of the configuration. */
    Digest id(ImageRecord record) {
        return store.manifest(info(record).manifest()).config().digest();
    }

    /**
     * Removes a name unless it is gone already (names by digest go with their image's last tag), and says so
     * for each name removed: "Untagged: busybox:latest" (rmi's word; prune's is "untagged").
     */
    void untag(ImageRecord record, String word, StringBuilder out) {
        if (store.images().get(record.name()).isEmpty()) return;
        for (ImageRecord removed : images.remove(record.name())) out.append(word).append(": ").append(familiar(removed.name())).append('\n');
    }

    /** The records that name the same image as this one (itself too). */
    List<ImageRecord> sameImage(ImageRecord record) {
        List<ImageRecord> same = new ArrayList<>();
        for (ImageRecord r : images.list()) if (r.target().equals(record.target())) same.add(r);
        return same;
    }

    /** The bytes of the image's layers unpacked, as docker counts a layer: its files' sizes, a hard link once. */
    long size(ImageRecord record) {
        long total = 0;
        for (Layer layer : info(record).layers()) total += size(layer);
        return total;
    }

    /** As recorded when the layer was unpacked; counted for one unpacked before sizes were recorded, or not yet. */
    long size(Layer layer) {
        return layerSizes.computeIfAbsent(layer, l -> {
            long recorded = store.layers().recordedSize(l.chainId());
            if (recorded >= 0) return recorded;
            return Files.isDirectory(l.dir()) ? unpackedSize(l.dir()) : archivedSize(l);
        });
    }

    private static long unpackedSize(Path dir) {
        long[] total = {0};
        Set<Object> seen = new HashSet<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.fileKey() == null || seen.add(attrs.fileKey())) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(dir.toString(), e);
        }
        return total[0];
    }

    /** The same count from a layer not unpacked yet (a loaded image's), read through its archive. */
    private long archivedSize(Layer layer) {
        long total = 0;
        try (InputStream in = Decompression.open(store.blobs().open(layer.blob().digest()))) {
            TarReader tar = new TarReader(in);
            for (TarEntry e = tar.next(); e != null; e = tar.next()) {
                if (e.type() == TarEntry.Type.FILE) total += e.size();
                else if (e.type() == TarEntry.Type.SYMLINK) total += e.linkName().getBytes(StandardCharsets.UTF_8).length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("layer " + layer.blob().digest(), e);
        }
        return total;
    }

    /** "busybox:latest" for docker.io/library/busybox:latest, "localhost:5000/x@sha256:..." as it is. */
    static String familiar(String name) {
        return Reference.parse(name).familiar();
    }

    /** A name by digest rather than by tag: "busybox@sha256:...". */
    static boolean byDigest(ImageRecord record) {
        return record.name().contains("@");
    }

    /** When the image was made: its configuration's "created", the epoch if it has none. */
    Instant created(ImageRecord record) {
        String created = info(record).config().created();
        return created.isEmpty() ? Instant.EPOCH : Instant.parse(created);
    }

    /** As docker prints how long ago: "56 years ago". */
    static String since(Instant then) {
        return Units.humanDuration(Duration.between(then, Instant.now())) + " ago";
    }
}
