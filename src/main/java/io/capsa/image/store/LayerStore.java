package io.capsa.image.store;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.unpack.LayerUnpacker;
import io.capsa.linux.FileCalls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacked layers, one directory per chain ID (layers/<hex>), shared by every image and container. A layer
 * is unpacked into a temporary directory, its diffID checked, then renamed into place: a directory under
 * layers/ is always complete. Two processes that unpack one layer at once both work; the second rename
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

    /** Unpacks an image's layers (blobs in the store), bottom first, skipping those already unpacked. */
    public List<Layer> unpack(List<Descriptor> blobs, List<Digest> diffIds) {
        if (blobs.size() != diffIds.size())
            throw new ImageException("the manifest has " + blobs.size() + " layers but the config " + diffIds.size() + " diff_ids");
        List<Digest> chainIds = ChainIds.of(diffIds);
        List<Layer> layers = new ArrayList<>(blobs.size());
        for (int i = 0; i < blobs.size(); i++) layers.add(unpack(blobs.get(i), diffIds.get(i), chainIds.get(i)));
        return List.copyOf(layers);
    }

    /** Unpacks one layer as the given chain ID; a layer whose tar is unsafe or whose diffID differs is discarded. */
    public Layer unpack(Descriptor blob, Digest diffId, Digest chainId) {
        Path target = dir(chainId);
        if (Files.isDirectory(target)) return new Layer(chainId, diffId, blob, target);
        try (Lease lease = root.lock().shared()) {
            Path temp = Files.createTempDirectory(root.tmp(), "layer-" + chainId.hex().substring(0, 12) + "-");
            try {
                FileCalls.chmod(temp.toString(), 0755); // made 0700; a layer without a "./" entry keeps this mode
                Digest actual;
                try (InputStream in = content.open(blob.digest())) {
                    actual = LayerUnpacker.unpackBlob(in, temp, LayerUnpacker.Mode.OVERLAY);
                }
                if (!actual.equals(diffId))
                    throw new ImageException("diffID mismatch: the config says " + diffId + ", the layer is " + actual);
                FileTrees.syncDirectory(temp);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    FileTrees.syncDirectory(root.layers());
                } catch (FileSystemException raced) {
                    // another process unpacked the same chain ID first: its copy is as good as ours
                    if (!Files.isDirectory(target)) throw raced;
                }
            } catch (ImageException | IOException e) {
                throw new ImageException("layer " + blob.digest() + ": " + e.getMessage(), e);
            } finally {
                FileTrees.delete(temp);
            }
        } catch (IOException e) {
            throw new ImageException("layer " + blob.digest() + ": " + e.getMessage(), e);
        }
        return new Layer(chainId, diffId, blob, target);
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
            for (Path p : dirs) if (p.getFileName().toString().length() == 64) ids.add(new Digest(p.getFileName().toString()));
        }
        return ids;
    }
}
