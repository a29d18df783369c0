package io.capsa.runtime;

import io.capsa.linux.FileText;
import io.capsa.spec.Json;
import io.capsa.spec.SpecException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Container state under the --root directory: one directory per container, written atomically, locked per container. */
public final class StateStore {
    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path dir(String id) {
        return root.resolve(ContainerId.validate(id));
    }

    public Path execFifo(String id) {
        return dir(id).resolve("exec.fifo");
    }

    /** Makes the container's directory; a second container with the same id is refused here. */
    public Path claim(String id) {
        Path dir = dir(id);
        try {
            if (!Files.isDirectory(root)) Files.createDirectories(root); // which throws and catches when it exists
            Files.createDirectory(dir);
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw new CapsaException("container with id exists: " + id);
        } catch (IOException e) {
            throw new UncheckedIOException("create " + dir, e);
        }
    }

    /** Holds the container's lock until closed; every command that changes a container takes it. */
    public FileLock lock(String id) {
        Path file = dir(id).resolve("lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return channel.lock();
        } catch (NoSuchFileException e) {
            throw notExist(id);
        } catch (IOException e) {
            throw new UncheckedIOException("lock " + file, e);
        }
    }

    public Optional<ContainerState> find(String id) {
        Path file = dir(id).resolve("state.json");
        if (!Files.exists(file)) return Optional.empty();
        try {
            return Optional.of(ContainerState.fromJson(Json.read(file)));
        } catch (SpecException e) {
            return Optional.empty(); // removed while we read it
        }
    }

    public ContainerState get(String id) {
        return find(id).orElseThrow(() -> notExist(id));
    }

    public void write(ContainerState state) {
        Path dir = dir(state.id());
        Path tmp = dir.resolve("state.json.tmp");
        try {
            FileText.write(tmp, Json.write(state.toJson()));
            Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("write state of " + state.id(), e);
        }
    }

    public List<String> ids() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + root, e);
        }
    }

    public void remove(String id) {
        Path dir = dir(id);
        // The directory holds files only (state, lock, fifo); a plain listing starts faster than Files.walk.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + dir, e);
        }
    }

    static CapsaException notExist(String id) {
        return new CapsaException("container \"" + id + "\" does not exist");
    }
}
