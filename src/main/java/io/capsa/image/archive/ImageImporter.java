package io.capsa.image.archive;

import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.MediaTypes;
import io.capsa.image.Platform;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Lease;
import io.capsa.image.unpack.Decompression;
import io.capsa.image.unpack.TarEntry;
import io.capsa.image.unpack.TarReader;
import io.capsa.spec.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `docker import`: a root file system tarball (plain, gzip or zstd) becomes a one-layer image, its config
 * made from Dockerfile instructions ({@link ConfigChanges}), recorded under a name. The layer is stored as
 * the uncompressed tar, which is then its own diffID; it is read through the tar reader on its way, so that
 * what is not a tar is refused before anything is recorded. An image imported without a name is recorded
 * under its digest, as the loader records an unnamed one.
 */
public final class ImageImporter {
    private ImageImporter() {}

    public static LoadedImage importTarball(ImageStore store, Path tarball, String name, List<String> changes, String message,
                                            Platform platform) {
        try (InputStream in = Files.newInputStream(tarball)) {
            return importTarball(store, in, tarball.toString(), name, changes, message, platform);
        } catch (NoSuchFileException e) {
            throw new ImageException("import " + tarball + ": no such file");
        } catch (IOException e) {
            throw new ImageException("import " + tarball + ": " + e.getMessage(), e);
        }
    }

    /**
     * source names the stream in errors ("-" for stdin) and, without a message (docker import -m), in the
     * image's history; name may be null.
     */
    public static LoadedImage importTarball(ImageStore store, InputStream in, String source, String name,
                                            List<String> changes, String message, Platform platform) {
        String canonical = name == null ? null : ArchiveLoader.canonical(name);
        ConfigChanges config = new ConfigChanges();
        for (String change : changes) config.apply(change);
        try (Lease lease = store.lease()) {
            Digest layer = storeLayer(store, in);
            String created = Instant.now().toString();
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("created", created);
            image.put("architecture", platform.architecture());
            if (!platform.variant().isEmpty()) image.put("variant", platform.variant());
            image.put("os", platform.os());
            image.put("config", config.config());
            image.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(layer.toString())));
            Map<String, Object> history = new LinkedHashMap<>();
            history.put("created", created);
            history.put("comment", message != null ? message : "Imported from " + source);
            image.put("history", List.of(history));
            byte[] configJson = Json.write(image).getBytes(StandardCharsets.UTF_8);
            Digest configDigest = store.blobs().put(configJson);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
            manifest.put("config", ArchiveLoader.descriptor(MediaTypes.OCI_CONFIG, configDigest, configJson.length));
            manifest.put("layers", List.of(ArchiveLoader.descriptor(MediaTypes.OCI_LAYER, layer, store.blobs().size(layer))));
            Digest target = store.blobs().put(Json.write(manifest).getBytes(StandardCharsets.UTF_8));
            store.images().put(canonical != null ? canonical : target.toString(), target, MediaTypes.OCI_MANIFEST);
            return new LoadedImage(canonical != null ? List.of(canonical) : List.of(), target, MediaTypes.OCI_MANIFEST, configDigest);
        } catch (ImageException | IOException e) {
            throw new ImageException("import " + source + ": " + e.getMessage(), e);
        }
    }

    /** The uncompressed tar, through the tar reader (to its end-of-archive blocks) into tmp/, then stored. */
    static Digest storeLayer(ImageStore store, InputStream in) throws IOException {
        Path temp = Files.createTempFile(store.root().tmp(), "import-", ".tar");
        try {
            MessageDigest sha = Digest.sha256();
            try (OutputStream out = Files.newOutputStream(temp)) {
                InputStream copied = new DigestInputStream(Decompression.open(in), sha) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) out.write(b, off, n);
                        return n;
                    }

                    @Override
                    public int read() throws IOException {
                        int c = super.read();
                        if (c >= 0) out.write(c);
                        return c;
                    }
                };
                TarReader tar = new TarReader(copied);
                String last = null;
                for (TarEntry entry = ArchiveLoader.next(tar, null); entry != null; entry = ArchiveLoader.next(tar, last))
                    last = entry.name();
                if (last == null) throw new ImageException("the tarball is empty");
                copied.transferTo(OutputStream.nullOutputStream()); // the padding after the end blocks
            }
            Digest digest = Digest.of(sha);
            try (InputStream stored = Files.newInputStream(temp)) {
                store.blobs().ingest(stored, digest, Files.size(temp));
            }
            return digest;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
