package io.capsa.image.store;

import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.SpecException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The image names of a data root, in one small JSON file (images.json). Readers read it without a lock:
 * every change writes a new file and renames it over the old one, under an exclusive lock so that two
 * processes that change it at once do not lose one another's change. The caller gives names in the
 * canonical form its reference parser makes; this class does not parse references.
 */
public final class ImageRecords {
    private final DataRoot root;

    ImageRecords(DataRoot root) {
        this.root = root;
    }

    public Optional<ImageRecord> get(String name) {
        return Optional.ofNullable(read().get(name));
    }

    public List<ImageRecord> list() {
        return List.copyOf(read().values());
    }

    /** Records a name for a manifest, replacing what the name pointed to before; returns the old record, if any. */
    public Optional<ImageRecord> put(String name, Digest target, String mediaType) {
        ImageRecord record = new ImageRecord(name, target, mediaType, System.currentTimeMillis());
        return update(records -> {
            records.put(name, record);
            return records;
        }, name);
    }

    /** Removes a name; returns the record it had, if any. */
    public Optional<ImageRecord> remove(String name) {
        return update(records -> {
            records.remove(name);
            return records;
        }, name);
    }

    private Optional<ImageRecord> update(UnaryOperator<Map<String, ImageRecord>> change, String name) {
        // The garbage collector's lock first (it empties tmp/, where the new file is written), then the file's.
        try (Lease gc = root.lock().shared(); Lease lease = StoreLock.of(root.imagesLock()).exclusive()) {
            Map<String, ImageRecord> records = read();
            ImageRecord old = records.get(name);
            write(change.apply(records));
            return Optional.ofNullable(old);
        }
    }

    private Map<String, ImageRecord> read() {
        Path file = root.images();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (IOException e) {
            throw new ImageException(file + ": " + e.getMessage(), e);
        }
        try {
            Map<String, ImageRecord> records = new LinkedHashMap<>();
            for (Node n : Json.parse(text, file.toString()).get("images").list()) {
                String name = n.get("name").requiredString();
                records.put(name, new ImageRecord(name, Digest.parse(n.get("target").requiredString()),
                        n.get("mediaType").requiredString(), n.get("created").integer(0)));
            }
            return records;
        } catch (SpecException | ImageException e) {
            throw new ImageException(file + ": " + e.getMessage(), e);
        }
    }

    private void write(Map<String, ImageRecord> records) {
        List<Object> images = new ArrayList<>();
        for (ImageRecord r : records.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("target", r.target().toString());
            m.put("mediaType", r.mediaType());
            m.put("created", r.created());
            images.add(m);
        }
        Path file = root.images();
        try {
            Path temp = Files.createTempFile(root.tmp(), "images-", ".json");
            try {
                Files.write(temp, Json.pretty(Map.of("images", images)).getBytes(StandardCharsets.UTF_8));
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
                FileTrees.syncDirectory(root.dir());
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new ImageException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
