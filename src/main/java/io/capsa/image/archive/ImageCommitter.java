package io.capsa.image.archive;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.Manifest;
import io.capsa.image.MediaTypes;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Lease;
import io.capsa.spec.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `docker commit`: a new image of a container's changes, one layer (an uncompressed tar with AUFS-style
 * whiteouts) on top of the image it was created from. The new config is the container's (its Cmd, Env and
 * the rest as it ran), changed by Dockerfile instructions as import's are ({@link ConfigChanges}).
 */
public final class ImageCommitter {
    private ImageCommitter() {}

    /** Who and why: docker commit's -a and -m, the container's id; name may be null (an image known by its ID only). */
    public record Commit(String name, String author, String message, String containerId, List<String> changes) {}

    public static LoadedImage commit(ImageStore store, Digest baseManifest, InputStream layer, Map<String, Object> config, Commit commit) {
        String canonical = commit.name() == null ? null : ArchiveLoader.canonical(commit.name());
        ConfigChanges changed = new ConfigChanges(config);
        for (String change : commit.changes()) changed.apply(change);
        try (Lease lease = store.lease()) {
            Manifest base = store.manifest(baseManifest);
            Map<String, Object> image = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) Json.read(store.blobs().open(base.config().digest()), "image config").raw()).entrySet())
                image.put((String) e.getKey(), e.getValue());
            Digest diffId = ImageImporter.storeLayer(store, layer);
            String created = Instant.now().toString();
            image.put("created", created);
            if (commit.author() != null) image.put("author", commit.author());
            image.put("container", commit.containerId());
            image.put("config", changed.config());
            Map<?, ?> rootfs = (Map<?, ?>) image.get("rootfs");
            List<Object> diffIds = new ArrayList<>(rootfs == null ? List.of() : (List<?>) rootfs.get("diff_ids"));
            diffIds.add(diffId.toString());
            image.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
            List<Object> history = new ArrayList<>(image.get("history") instanceof List<?> h ? h : List.of());
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("created", created);
            if (commit.author() != null) step.put("author", commit.author());
            if (commit.message() != null) step.put("comment", commit.message());
            history.add(step);
            image.put("history", history);
            byte[] configJson = Json.write(image).getBytes(StandardCharsets.UTF_8);
            Digest configDigest = store.blobs().put(configJson);
            List<Object> layers = new ArrayList<>();
            for (Descriptor d : base.layers()) layers.add(ArchiveLoader.descriptor(d.mediaType(), d.digest(), d.size()));
            layers.add(ArchiveLoader.descriptor(MediaTypes.OCI_LAYER, diffId, store.blobs().size(diffId)));
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
            manifest.put("config", ArchiveLoader.descriptor(MediaTypes.OCI_CONFIG, configDigest, configJson.length));
            manifest.put("layers", layers);
            Digest target = store.blobs().put(Json.write(manifest).getBytes(StandardCharsets.UTF_8));
            store.images().put(canonical != null ? canonical : target.toString(), target, MediaTypes.OCI_MANIFEST);
            return new LoadedImage(canonical != null ? List.of(canonical) : List.of(), target, MediaTypes.OCI_MANIFEST, configDigest);
        } catch (ImageException | IOException e) {
            throw new ImageException("commit " + commit.containerId() + ": " + e.getMessage(), e);
        }
    }
}
