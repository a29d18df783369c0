package io.capsa.engine;

import io.capsa.image.store.FileTrees;
import io.capsa.linux.FileText;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.Quoted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Container records under the data root: containers/ID/ holds container.json (the record), state.json and
 * the container's own files; names/NAME holds the id that has the name. A directory is made, with its
 * record, before its name: a name is taken by a hard link, which fails when another process took it first,
 * and a name whose container directory is gone (a remove that died halfway) is free again.
 */
public final class ContainerStore {
    private final Path containers, names;

    public ContainerStore(Path dataRoot) {
        containers = dataRoot.resolve("containers");
        names = dataRoot.resolve("names");
    }

    public Path dir(String id) {
        return containers.resolve(id);
    }

    /** Docker's rule for names: "[a-zA-Z0-9][a-zA-Z0-9_.-]", an optional leading '/' dropped. */
    public static String checkName(String name) {
        String bare = name.startsWith("/") ? name.substring(1) : name;
        if (!isName(bare) || bare.length() > 255)
            throw new CapsaException("Invalid container name (" + Quoted.of(name) + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        return bare;
    }

    /** [a-zA-Z0-9][a-zA-Z0-9_.-]*, in plain code: a regex's first use costs a CLI call milliseconds. */
    private static boolean isName(String s) {
        if (s.isEmpty() || !isAlphanumeric(s.charAt(0))) return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlphanumeric(c) && c != '_' && c != '.' && c != '-') return false;
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** [0-9a-f]{1,64}: an id or a prefix of one. */
    private static boolean isHex(String s) {
        if (s.isEmpty() || s.length() > 64) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) return false;
        }
        return true;
    }

    /** Stores a new container's record and state; refused when its name is taken. */
    void add(ContainerRecord record) {
        Path dir = dir(record.id());
        try {
            Files.createDirectories(containers);
            Files.createDirectories(names);
            Files.createDirectory(dir);
            writeAtomically(dir.resolve("container.json"), Json.write(record.toJson()));
            writeAtomically(dir.resolve("state.json"), Json.write(RunState.created().toJson()));
            takeName(record.name(), record.id());
        } catch (RuntimeException | IOException e) {
            deleteQuietly(dir);
            if (e instanceof IOException io) throw new UncheckedIOException("store container " + record.id(), io);
            throw (RuntimeException) e;
        }
    }

    private void takeName(String name, String id) throws IOException {
        Path link = names.resolve(name);
        Path claim = names.resolve("." + id + ".name");
        FileText.write(claim, id);
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.createLink(link, claim);
                    return;
                } catch (FileAlreadyExistsException e) {
                    String holder = holderOf(name);
                    if (holder != null && Files.isDirectory(dir(holder)) || attempt > 0)
                        throw new NameInUseException(name, holder);
                    Files.deleteIfExists(link); // left by a remove that did not finish
                }
            }
        } finally {
            Files.deleteIfExists(claim);
        }
    }

    private String holderOf(String name) throws IOException {
        try {
            return FileText.read(names.resolve(name)).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Gives the container a new name; the old one is free once the new one is taken. */
    void rename(ContainerRecord record, String newName) {
        try {
            takeName(newName, record.id());
            writeAtomically(dir(record.id()).resolve("container.json"), Json.write(record.withName(newName).toJson()));
            Files.deleteIfExists(names.resolve(record.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("rename container " + record.id(), e);
        }
    }

    /** The container a user's text names: a full id, a name, or a unique prefix of an id, as Docker looks. */
    public ContainerRecord find(String text) {
        String bare = text.startsWith("/") ? text.substring(1) : text;
        if (isHex(bare) && bare.length() == 64 && Files.exists(dir(bare).resolve("container.json"))) return get(bare);
        try {
            if (isName(bare)) {
                String holder = holderOf(bare);
                if (holder != null && Files.exists(dir(holder).resolve("container.json"))) return get(holder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read container names", e);
        }
        if (isHex(bare)) {
            List<String> matches = new ArrayList<>();
            for (String id : ids()) if (id.startsWith(bare)) matches.add(id);
            if (matches.size() > 1) throw new CapsaException("multiple IDs found with provided prefix: " + text);
            if (matches.size() == 1) return get(matches.getFirst());
        }
        throw new NoSuchContainerException(text);
    }

    /** Thrown when another container has the name, as Docker words it. */
    public static final class NameInUseException extends CapsaException {
        NameInUseException(String name, String holder) {
            super("Conflict. The container name \"/" + name + "\" is already in use by container \"" + holder
                    + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
    }

    /** Thrown for a container that does not exist, as Docker words it. */
    public static final class NoSuchContainerException extends CapsaException {
        public NoSuchContainerException(String text) {
            super("No such container: " + Quoted.of(text).replace("\"", ""));
        }
    }

    /** The record of a full id; NoSuchContainerException when there is none (a text that is no id has none). */
    ContainerRecord get(String id) {
        if (id.length() != 64 || !isHex(id) || !Files.exists(dir(id).resolve("container.json")))
            throw new NoSuchContainerException(id);
        return ContainerRecord.fromJson(read(id, "container.json"));
    }

    /** One of the container's files; a container removed meanwhile is no such container. */
    private Node read(String id, String file) {
        try {
            return Json.read(dir(id).resolve(file));
        } catch (CapsaException e) {
            if (!Files.exists(dir(id))) throw new NoSuchContainerException(id);
            throw e;
        }
    }

    /** The ids of every stored container. */
    List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(containers)) return ids;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(containers)) {
            for (Path d : dirs) if (Files.exists(d.resolve("container.json"))) ids.add(d.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("list containers", e);
        }
        return ids;
    }

    RunState state(String id) {
        return RunState.fromJson(read(id, "state.json"));
    }

    void writeState(String id, RunState state) {
        writeAtomically(dir(id).resolve("state.json"), Json.write(state.toJson()));
    }

    /**
     * The container's lock, which every change of its state holds: the CLI, the exit command of its monitor
     * and a second CLI may act on it at once.
     */
    Lock lock(String id) {
        try {
            FileChannel channel = FileChannel.open(dir(id).resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock();
            if (!Files.exists(dir(id))) { // removed by the holder we waited for
                channel.close();
                throw new NoSuchContainerException(id);
            }
            return new Lock(channel);
        } catch (NoSuchFileException e) {
            throw new NoSuchContainerException(id);
        } catch (IOException e) {
            throw new UncheckedIOException("lock container " + id, e);
        }
    }

    /** The container's lock if no one holds it, else null. */
    Lock tryLock(String id) {
        try {
            FileChannel channel = FileChannel.open(dir(id).resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() != null) return new Lock(channel);
            channel.close();
            return null;
        } catch (NoSuchFileException e) {
            return null; // removed meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("lock container " + id, e);
        }
    }

    /** A held container lock; closing its file releases it. */
    record Lock(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("unlock container", e);
            }
        }
    }

    /**
     * Takes the container out of listings and lookups before its files go (its record first): another CLI
     * that listed it, then reads a file of it that is gone, finds it removed, not half there.
     */
    void hide(String id) throws IOException {
        Files.deleteIfExists(dir(id).resolve("container.json"));
    }

    /** Forgets the container: its directory first, then its name (a name without a directory is free). */
    void remove(ContainerRecord record) {
        try {
            FileTrees.delete(dir(record.id()));
            String holder = holderOf(record.name());
            if (record.id().equals(holder)) Files.deleteIfExists(names.resolve(record.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("remove container " + record.id(), e);
        }
    }

    private static void writeAtomically(Path file, String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            FileText.write(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException ignored) {
            // nothing of it is visible: it has no name yet
        }
    }
}
