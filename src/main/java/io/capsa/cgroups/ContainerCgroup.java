package io.capsa.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A container's cgroup: one directory in every hierarchy. This is the seam the resource controllers
 * (v1 and v2 drivers) build on; here it is created, joined, listed and removed.
 */
public final class ContainerCgroup {
    private final List<Path> dirs;

    public ContainerCgroup(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    /**
     * The directories for a linux.cgroupsPath, as runc reads it: absolute paths are taken from each
     * hierarchy's root, relative ones from the caller's own cgroup; an empty one is the container id.
     */
    public static ContainerCgroup forPath(CgroupLayout layout, String cgroupsPath, String id) {
        String path = cgroupsPath.isEmpty() ? id : cgroupsPath;
        if (path.contains(":")) throw new IllegalArgumentException(
                "cgroupsPath \"" + path + "\" is a systemd slice:prefix:name path; the systemd cgroup driver is not supported");
        for (String part : path.split("/")) {
            if (part.equals("..")) throw new IllegalArgumentException("cgroupsPath \"" + path + "\" must not contain \"..\"");
        }
        List<Path> dirs = new ArrayList<>();
        for (Hierarchy h : layout.hierarchies()) {
            String relative = path.startsWith("/") ? path : h.ownPath() + "/" + path;
            dirs.add(h.mountPoint().resolve(relative.replaceAll("^/+", "")).normalize());
        }
        return new ContainerCgroup(dirs);
    }

    public List<Path> dirs() {
        return dirs;
    }

    /** Creates the directories (an existing one is joined as it is). */
    public void create() {
        for (Path dir : dirs) {
            try {
                createWithParents(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("create cgroup " + dir, e);
            }
        }
    }

    /** v1 cpuset directories start with no cpus and no mems, so a task cannot join; copy the parent's. */
    private static void createWithParents(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        createWithParents(dir.getParent());
        Files.createDirectory(dir);
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            Path own = dir.resolve(file);
            if (Files.exists(own) && Files.readString(own).isBlank()) {
                Files.writeString(own, Files.readString(dir.getParent().resolve(file)).strip());
            }
        }
    }

    /** Moves a process into the cgroup in every hierarchy. */
    public void add(int pid) {
        for (Path dir : dirs) {
            try {
                Files.writeString(dir.resolve("cgroup.procs"), Integer.toString(pid));
            } catch (IOException e) {
                throw new UncheckedIOException("add process " + pid + " to cgroup " + dir, e);
            }
        }
    }

    /** The processes in the cgroup, from the first hierarchy that lists them. */
    public List<Integer> pids() {
        TreeSet<Integer> pids = new TreeSet<>();
        for (Path dir : dirs) {
            try {
                for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                    if (!line.isBlank()) pids.add(Integer.parseInt(line.strip()));
                }
                return List.copyOf(pids);
            } catch (IOException e) {
                // a hierarchy that is gone or unreadable: try the next one
            }
        }
        return List.copyOf(pids);
    }

    /** Removes the directories, retrying while the kernel still holds a cgroup whose last task is exiting. */
    public void remove() {
        for (Path dir : dirs) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(dir);
                    break;
                } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                    break; // a child cgroup someone else made, or already gone: leave it
                } catch (FileSystemException e) {
                    if (attempt >= 50) throw new UncheckedIOException("remove cgroup " + dir, e);
                    sleep();
                } catch (IOException e) {
                    throw new UncheckedIOException("remove cgroup " + dir, e);
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
