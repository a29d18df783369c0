package io.capsa.image.store;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.unpack.LayerUnpacker;
import io.capsa.linux.ErrnoException;
import io.capsa.linux.FileCalls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacked layers, one directory per chain ID (layers/<hex>), shared by every image and container. A layer
 * is unpacked into a temporary directory, its diffID checked, its file system synced (syncfs: every file of
 * it, not only its directory), then renamed into place: a directory under layers/ is always complete, after
 * a crash too. Two processes that unpack one layer at once both work; the second rename
 * finds the first one's directory and its own copy is dropped.
 */
public final class LayerStore {
    private final DataRoot root;
    private final ContentStore content;

    LayerStore(DataRoot root, ContentStore content) {
        this.root = root;
        this.content = content;
    }

    public Path dir(Digest chainId) {
        return root.layers().resolve(chainId.hex());
    }

    public boolean has(Digest chainId) {
        return Files.isDirectory(dir(chainId));
    }

    /** An image's layers, bottom first, named by their chain IDs; {@link #unpack} makes their directories. */
    public List<Layer> describe(List<Descriptor> blobs, List<Digest> diffIds) {
        if (blobs.size() != diffIds.size())
            throw new ImageException("the manifest has " + blobs.size() + " layers but the config " + diffIds.size() + " diff_ids");
        List<Digest> chainIds = ChainIds.of(diffIds);
        List<Layer> layers = new ArrayList<>(blobs.size());
        for (int i = 0; i < blobs.size(); i++)
            layers.add(new Layer(chainIds.get(i), diffIds.get(i), blobs.get(i), dir(chainIds.get(i))));
        return List.copyOf(layers);
    }

    /**
     * Unpacks layers (blobs in the store) bottom first, skipping those already unpacked; a layer whose tar is
     * unsafe or whose diffID differs is discarded and refused, naming it.
     */
    public List<Layer> unpack(List<Layer> layers) {
        for (int i = 0; i < layers.size(); i++) unpack(layers.get(i), layers.subList(0, i), () -> {});
        return layers;
    }

    /**
     * Unpacks one layer unless it is unpacked already, while the layers below it (bottom first) may still be
     * unpacking beside it: {@code belowUnpacked} returns once they are all in place, or throws. It is called only
     * if the layer needs them (see {@link LayerUnpacker}).
     */
    public void unpack(Layer layer, List<Layer> below, Runnable belowUnpacked) {
        Path target = layer.dir();
        Descriptor blob = layer.blob();
        if (Files.isDirectory(target)) return;
        try (Lease lease = root.lock().shared()) {
            Path temp = Files.createTempDirectory(root.tmp(), "layer-" + layer.chainId().hex().substring(0, 12) + "-");
            try {
                FileCalls.chmod(temp.toString(), 0755); // made 0700; a layer without a "./" entry or a layer below keeps this
                LayerUnpacker.Unpacked unpacked;
                try (InputStream in = content.open(blob.digest())) {
                    unpacked = LayerUnpacker.unpackBlob(in, temp, LayerUnpacker.Mode.OVERLAY, () -> {
                        belowUnpacked.run();
                        return below.stream().map(Layer::dir).toList();
                    });
                }
                if (!unpacked.diffId().equals(layer.diffId()))
                    throw new ImageException("diffID mismatch: the config says " + layer.diffId() + ", the layer is " + unpacked.diffId());
                recordSize(layer.chainId(), unpacked.size());
                FileCalls.syncFileSystem(temp.toString()); // every file of it, before its name says it is complete
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    FileTrees.syncDirectory(root.layers());
                } catch (FileSystemException raced) {
                    // another process unpacked the same chain ID first: its copy is as good as ours
                    if (!Files.isDirectory(target)) throw raced;
                }
            } catch (ImageException | IOException | ErrnoException e) {
                throw new ImageException("layer " + blob.digest() + ": " + e.getMessage(), e);
            } finally {
                FileTrees.delete(temp);
            }
        } catch (IOException e) {
            throw new ImageException("layer " + blob.digest() + ": " + e.getMessage(), e);
        }
    }

    /** Written whole (renamed into place) before the layer is: a layer's recorded size is never cut short. */
    private void recordSize(Digest chainId, long size) throws IOException {
        Path temp = Files.createTempFile(root.tmp(), "size-", "");
        Files.writeString(temp, Long.toString(size));
        Files.move(temp, sizeFile(chainId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The size recorded when the layer was unpacked: its files' bytes and its symlinks' targets, as Docker counts
     * a layer; -1 for a layer unpacked before capsa recorded sizes, or not unpacked.
     */
    public long recordedSize(Digest chainId) {
        try {
            return Long.parseLong(Files.readString(sizeFile(chainId)));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private Path sizeFile(Digest chainId) {
        return root.layerSizes().resolve(chainId.hex());
    }

    /**
     * A short symlink to an unpacked layer's directory (l/ and 12 hex digits of its chain ID), so that an
     * overlay mount's options name many layers within the kernel's one page.
     */
    public Path shortLink(Layer layer) throws IOException {
        Path link = root.shortLinks().resolve(layer.chainId().hex().substring(0, 12));
        try {
            Files.createSymbolicLink(link, layer.dir());
        } catch (FileAlreadyExistsException e) {
            if (!Files.readSymbolicLink(link).equals(layer.dir()))
                throw new ImageException("layer " + layer.chainId() + ": its short link " + link + " names another layer");
        }
        return link;
    }

    /** Removes short links and recorded sizes whose layer is gone. */
    void deleteDanglingLinks() throws IOException {
        try (var links = Files.newDirectoryStream(root.shortLinks())) {
            for (Path link : links) if (!Files.isDirectory(link)) Files.delete(link);
        }
        try (var sizes = Files.newDirectoryStream(root.layerSizes())) {
            for (Path size : sizes) if (!Files.isDirectory(root.layers().resolve(size.getFileName()))) Files.delete(size);
        }
    }

    /** Removes a layer: renamed into tmp/ first, so that a crash midway never leaves a half layer under layers/. */
    void delete(Digest chainId) throws IOException {
        Path doomed = root.tmp().resolve("deleting-" + chainId.hex());
        try {
            Files.move(dir(chainId), doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException gone) {
            return;
        }
        FileTrees.delete(doomed);
    }

    List<Digest> list() throws IOException {
        List<Digest> ids = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(root.layers())) {
            for (Path p : dirs) {
                String name = p.getFileName().toString();
                if (Digest.isSha256Hex(name)) ids.add(new Digest(Digest.SHA256, name));
            }
        }
        return ids;
    }
}
