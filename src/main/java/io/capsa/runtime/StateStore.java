package io.capsa.runtime;

import io.capsa.spec.Json;
import io.capsa.spec.Quoted;
import io.capsa.spec.SpecException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE;
import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;

/**
 * Container state under the --root directory: one directory per container, written atomically, locked per
 * container. Private as in runc: the state holds the hooks' environments, often secrets, and a lock that
 * another user could open is a lock they could hold.
 */
public final class StateStore {
    /** The root and each container's directory are made with these modes (0700, 0711), its files with 0600. */
    private static final FileAttribute<Set<PosixFilePermission>> ROOT_MODE =
            PosixFilePermissions.asFileAttribute(EnumSet.of(OWNER_READ, OWNER_WRITE, OWNER_EXECUTE));
    private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
            PosixFilePermissions.asFileAttribute(EnumSet.of(OWNER_READ, OWNER_WRITE, OWNER_EXECUTE, GROUP_EXECUTE, OTHERS_EXECUTE));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(EnumSet.of(OWNER_READ, OWNER_WRITE));
    /** Longer than a command holds a lock unless its hooks are slow (delete waits up to 10 s for a killed init). */
    private static final long LOCK_WAIT_NANOS = 20_000_000_000L;

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

    /**
     * Makes the container's directory; a second container with the same id is refused here. A root that
     * exists keeps its mode (it may be shared, as /run is): the container's directory and files are private.
     */
    public Path claim(String id) {
        Path dir = dir(id);
        try {
            if (!Files.isDirectory(root)) Files.createDirectories(root, ROOT_MODE); // which throws and catches when it exists
            Files.createDirectory(dir, DIR_MODE);
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw new CapsaException("container with id exists: " + id);
        } catch (IOException e) {
            throw new UncheckedIOException("create " + dir, e);
        }
    }

    /**
     * Holds the container's lock until closed; every command that changes a container takes it. Only the
     * owner can open the lock file, yet a command that waits on it gives up after a while rather than hang.
     */
    public FileLock lock(String id) {
        Path file = dir(id).resolve("lock");
        try {
            FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), FILE_MODE);
            long deadline = System.nanoTime() + LOCK_WAIT_NANOS;
            for (FileLock lock; ; Thread.sleep(5)) {
                if ((lock = channel.tryLock()) != null) return lock;
                if (System.nanoTime() > deadline) {
                    channel.close();
                    throw new CapsaException("container " + Quoted.of(id) + " is busy: another process has held "
                            + file + " for " + LOCK_WAIT_NANOS / 1_000_000_000 + " s");
                }
            }
        } catch (NoSuchFileException e) {
            throw notExist(id);
        } catch (IOException e) {
            throw new UncheckedIOException("lock " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CapsaException("interrupted while waiting for the lock of container " + Quoted.of(id));
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
            Files.deleteIfExists(tmp); // made anew, so that it has FILE_MODE
            try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE)) {
                ByteBuffer bytes = ByteBuffer.wrap(Json.write(state.toJson()).getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) out.write(bytes);
            }
            Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("write state of " + state.id(), e);
        }
    }

    public List<String> ids() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(ContainerId::isValid).sorted().toList();
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
        return new CapsaException("container " + Quoted.of(id) + " does not exist");
    }
}
