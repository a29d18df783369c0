package io.capsa.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a container could leave on the host: cgroup directories, processes, mounts. */
final class Leaks {
    private Leaks() {}

    /**
     * Cgroup directories whose name starts with prefix, in every hierarchy (two levels deep). Other
     * containers' directories may vanish during the walk: a directory gone meanwhile is not a leak.
     */
    static List<Path> cgroupDirs(String prefix) {
        List<Path> found = new ArrayList<>();
        collect(Path.of("/sys/fs/cgroup"), 3, prefix, found);
        return found;
    }

    /** The engine's cgroups: capsa/ of any hierarchy, the parent of its containers' (SpecBuilder's cgroupsPath /capsa/ID). */
    static List<Path> engineCgroupDirs() {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                Path capsa = h.resolve("capsa");
                if (Files.isDirectory(capsa)) found.add(capsa); // the parent too: it goes with the last container's
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    private static void collect(Path dir, int depth, String prefix, List<Path> found) {
        if (depth == 0) return;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(Files::isDirectory).toList()) {
                if (p.getFileName().toString().startsWith(prefix)) found.add(p);
                collect(p, depth - 1, prefix, found);
            }
        } catch (NoSuchFileException e) {
            // removed meanwhile
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Live processes whose cgroup path names a container with this prefix. Zombies are dead already and
     * hold nothing but their pid until their parent reaps them (on these machines pid 1 reaps lazily).
     */
    static List<String> processesInCgroups(String prefix) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cgroup = Files.readString(p.resolve("cgroup"));
                    boolean zombie = Files.readString(p.resolve("stat")).replaceAll(".*\\) ", "").startsWith("Z");
                    if (cgroup.contains("/" + prefix) && !zombie) found.add(p.getFileName() + ": " + Files.readString(p.resolve("cmdline")).replace('\0', ' '));
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    /** Host mounts whose mount point is under dir. */
    static List<String> mountsUnder(String dir) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> l.split(" ")[4].startsWith(dir)).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Live processes whose command line holds every one of these words (a daemon and its directory). */
    static List<String> processesNaming(String... words) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    boolean all = !cmdline.isEmpty();
                    for (String w : words) all &= cmdline.contains(w);
                    if (all) found.add(p.getFileName() + ": " + cmdline);
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    /** Network namespaces bound under /run/netns whose name starts with prefix. */
    static List<String> netnsFiles(String prefix) {
        try (Stream<Path> files = Files.list(Path.of("/run/netns"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * iptables rules (filter and nat) that name one of the words, and capsa's network rules for bridges that no
     * longer exist: a network removed without its rules.
     */
    static List<String> firewallRules(String... words) {
        List<String> found = new ArrayList<>();
        for (String table : List.of("filter", "nat")) {
            for (String line : NetworkNamespaces.run(List.of("iptables", "-w", "-t", table, "-S")).out().split("\n")) {
                for (String w : words) if (line.contains(w)) found.add(line);
                if (line.startsWith("-A CAPSA-") && namesAMissingBridge(line)) found.add(line);
            }
        }
        return found;
    }

    private static boolean namesAMissingBridge(String rule) {
        String[] words = rule.split(" ");
        for (int i = 0; i + 1 < words.length; i++) {
            boolean device = words[i].equals("-i") || words[i].equals("-o");
            if (device && !words[i + 1].endsWith("+") && !Files.exists(Path.of("/sys/class/net", words[i + 1]))) return true;
        }
        return false;
    }
}
