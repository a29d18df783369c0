package io.capsa.cgroups;

import io.capsa.cgroups.v2.DeviceFilter;
import io.capsa.linux.FileText;
import io.capsa.linux.Proc;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;
import io.capsa.spec.Resources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A container's cgroup: one directory in every hierarchy, created, joined, limited, measured, frozen and
 * removed. Each controller is driven where the host has it: in its v1 hierarchy, or else in the v2 one
 * (a hybrid host has both), so the v1 and v2 drivers are the controllers of io.capsa.cgroups.v1 and .v2.
 */
public final class ContainerCgroup {
    private final CgroupLayout layout;
    private final List<Path> dirs;
    private final List<Path> owned;

    /** owned: those of dirs that capsa makes, and so removes; one that existed before is only joined. */
    public ContainerCgroup(CgroupLayout layout, List<Path> dirs, List<Path> owned) {
        this.layout = layout;
        this.dirs = List.copyOf(dirs);
        this.owned = List.copyOf(owned);
    }

    /** The longest path and file name the kernel takes: PATH_MAX less the NUL, NAME_MAX. */
    private static final int PATH_MAX = 4095, NAME_MAX = 255;

    /**
     * The directories for a linux.cgroupsPath, as runc reads it: absolute paths are taken from each
     * hierarchy's root, relative ones from the caller's own cgroup; an empty one is the container id.
     * A path no kernel would take is refused here, before anything is made of it.
     */
    public static ContainerCgroup forPath(CgroupLayout layout, String cgroupsPath, String id) {
        String path = cgroupsPath.isEmpty() ? id : cgroupsPath;
        String shown = "cgroupsPath " + Quoted.of(path);
        if (path.length() > PATH_MAX) throw new IllegalArgumentException(shown + " is longer than a path can be (" + PATH_MAX + " bytes)");
        if (path.contains(":")) throw new IllegalArgumentException(
                shown + " is a systemd slice:prefix:name path; the systemd cgroup driver is not supported");
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) < 0x20) throw new IllegalArgumentException(shown + " must not contain control characters");
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) throw new IllegalArgumentException(shown + " must not contain \"..\"");
            if (part.getBytes(StandardCharsets.UTF_8).length > NAME_MAX)
                throw new IllegalArgumentException(shown + " has a name longer than " + NAME_MAX + " bytes");
        }
        List<Path> dirs = new ArrayList<>(), absent = new ArrayList<>();
        for (Hierarchy h : layout.hierarchies()) {
            String relative = path.startsWith("/") ? path : h.ownPath() + "/" + path;
            int start = 0;
            while (start < relative.length() && relative.charAt(start) == '/') start++;
            Path dir = h.mountPoint().resolve(relative.substring(start)).normalize();
            if (dir.toString().getBytes(StandardCharsets.UTF_8).length > PATH_MAX)
                throw new IllegalArgumentException(shown + " makes " + Quoted.of(dir.toString()) + ", longer than a path can be (" + PATH_MAX + " bytes)");
            dirs.add(dir);
            if (!Files.exists(dir)) absent.add(dir);
        }
        return new ContainerCgroup(layout, dirs, absent);
    }

    public List<Path> dirs() {
        return dirs;
    }

    public List<Path> owned() {
        return owned;
    }

    /** A cgroup v2 device filter: the eBPF program (struct bpf_insn[]) and the directory it is attached to. */
    public record DeviceProgram(Path dir, byte[] program) {}

    /**
     * Where device rules are an eBPF program (cgroup v2 without a v1 devices hierarchy): the program for
     * r's rules, which the helper loads and attaches (bpf(2) from Java would cost ~35 ms of FFM start-up).
     * Null where a v1 devices hierarchy takes the rules, or there are none.
     */
    public DeviceProgram deviceProgram(Resources r) {
        if (r.devices().isEmpty()) return null;
        Binding b = Binding.named("devices", layout, dirs);
        return b == null || b.v2Name() == null ? null : new DeviceProgram(b.dir().path(), DeviceFilter.compile(r.devices()));
    }

    /** Creates the directories (an existing one is joined as it is). */
    public void create() {
        for (int i = 0; i < dirs.size(); i++) {
            Hierarchy h = layout.hierarchies().get(i);
            try {
                createWithParents(dirs.get(i), !h.unified() && h.controllers().contains("cpuset"));
            } catch (IOException e) {
                throw new UncheckedIOException("create cgroup " + dirs.get(i), e);
            }
        }
    }

    /**
     * v1 cpuset directories start with no cpus and no mems, so a task cannot join; copy the parent's. A parent
     * that another process removes meanwhile, as empty (removeIfEmpty), is made again.
     */
    private static void createWithParents(Path dir, boolean cpuset) throws IOException {
        // One mkdir in the usual case, where only the last directory is new; every call pays for a stat.
        for (int attempt = 0; ; attempt++) {
            try {
                Files.createDirectory(dir);
                break;
            } catch (FileAlreadyExistsException e) {
                return;
            } catch (NoSuchFileException e) {
                if (attempt == 10) throw e;
                createWithParents(dir.getParent(), cpuset);
            }
        }
        if (!cpuset) return;
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            Path own = dir.resolve(file);
            if (FileText.read(own).isBlank()) FileText.write(own, FileText.read(dir.getParent().resolve(file)).strip());
        }
    }

    /** Moves a process into the cgroup in every hierarchy. */
    public void add(int pid) {
        for (Path dir : dirs) {
            try {
                FileText.write(dir.resolve("cgroup.procs"), Integer.toString(pid));
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
                for (String pid : CgroupDir.words(FileText.read(dir.resolve("cgroup.procs")))) pids.add(Integer.parseInt(pid));
                return List.copyOf(pids);
            } catch (IOException e) {
                // a hierarchy that is gone or unreadable: try the next one
            }
        }
        return List.copyOf(pids);
    }

    /** Checks r against this host, then writes it, controller by controller; returns what the kernel lacks. */
    public List<String> apply(Resources r) {
        ResourceCheck.check(r, layout);
        List<String> unsupported = new ArrayList<>();
        for (Binding b : Binding.needed(r, layout, dirs)) {
            b.enable(r);
            unsupported.addAll(b.controller().unsupported(r, b.dir()));
            b.controller().apply(r, b.dir());
        }
        return unsupported;
    }

    /** Usage of every controller the host has, in the shape of runc's `events --stats` data. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        for (Binding b : Binding.all(layout, dirs)) {
            if (b.enabledHere()) b.controller().stats(b.dir(), stats);
        }
        return stats;
    }

    /** How many processes the kernel's OOM killer has killed in this cgroup. */
    public long oomKills() {
        Binding b = Binding.named("memory", layout, dirs);
        return b != null && b.enabledHere() ? ((OomCounter) b.controller()).oomKills(b.dir()) : 0;
    }

    public void freeze(boolean frozen) {
        Freezer.set(freezerDir(), freezerIsV2(), frozen);
    }

    public boolean frozen() {
        return Files.isDirectory(freezerDir().path()) && Freezer.isFrozen(freezerDir(), freezerIsV2());
    }

    /** The v1 freezer hierarchy if there is one, else the v2 core's cgroup.freeze. */
    private boolean freezerIsV2() {
        for (Hierarchy h : layout.hierarchies()) if (h.controllers().contains("freezer")) return false;
        return true;
    }

    private CgroupDir freezerDir() {
        for (int i = 0; i < dirs.size(); i++) {
            Hierarchy h = layout.hierarchies().get(i);
            if (freezerIsV2() ? h.unified() : h.controllers().contains("freezer")) return new CgroupDir(dirs.get(i));
        }
        throw new CapsaException("this host has no freezer: neither a v1 freezer hierarchy nor cgroup v2");
    }

    /**
     * Removes the directories capsa made, once the container's processes have exited, retrying while the
     * kernel still holds a cgroup whose last task is exiting. One that still holds live processes, others'
     * (a cgroupsPath shared), is left; returns a warning for each.
     */
    public List<String> remove() {
        List<String> left = new ArrayList<>();
        for (Path dir : owned) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(dir);
                    break;
                } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                    break; // a child cgroup someone else made, or already gone: leave it
                } catch (FileSystemException e) {
                    // A path too long to name was never made (the state of a create older versions let through).
                    if ("File name too long".equals(e.getReason())) break;
                    if (holdsLiveProcesses(dir)) {
                        left.add("cgroup " + dir + " left in place: it holds processes that are not the container's");
                        break;
                    }
                    if (attempt >= 50) throw new UncheckedIOException("remove cgroup " + dir, e);
                    sleep();
                } catch (IOException e) {
                    throw new UncheckedIOException("remove cgroup " + dir, e);
                }
            }
        }
        return left;
    }

    /**
     * Removes the cgroup at path (from each hierarchy's root) where it holds no child and no process: a parent that
     * containers' cgroups are made under, once the last of them is gone. One in use is left as it is.
     */
    public static void removeIfEmpty(CgroupLayout layout, String path) {
        for (Hierarchy h : layout.hierarchies()) {
            try {
                Files.deleteIfExists(h.mountPoint().resolve(path));
            } catch (IOException e) {
                // a container's cgroup or a process in it (ENOTEMPTY, EBUSY): still in use
            }
        }
    }

    private static boolean holdsLiveProcesses(Path dir) {
        try {
            for (String pid : CgroupDir.words(FileText.read(dir.resolve("cgroup.procs"))))
                if (Proc.startTime(Integer.parseInt(pid)) >= 0) return true; // not a zombie
            return false;
        } catch (IOException e) {
            return false;
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
