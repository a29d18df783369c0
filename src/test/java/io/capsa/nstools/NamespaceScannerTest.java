package io.capsa.nstools;

import io.capsa.spec.NamespaceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scanner on a made-up /proc: links, cmdline and comm files as the kernel shows them. */
class NamespaceScannerTest {
    @TempDir
    Path proc;
    @TempDir
    Path etc;

    private void process(int pid, String cmdline, String comm, String... links) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(pid + "/ns"));
        Files.writeString(dir.resolveSibling("cmdline"), cmdline);
        Files.writeString(dir.resolveSibling("comm"), comm + "\n");
        for (String link : links) Files.createSymbolicLink(dir.resolve(link.substring(0, link.indexOf(':'))), Path.of(link));
    }

    private NamespaceScanner scanner(String passwd) throws IOException {
        return new NamespaceScanner(proc, Files.writeString(etc.resolve("passwd"), passwd));
    }

    @Test
    void countsProcessesPerNamespaceAndDescribesTheLowest() throws IOException {
        process(2, "", "kthreadd", "net:[100]", "uts:[200]");
        process(30, "sleep\0" + "1000\0", "sleep", "net:[101]", "uts:[200]");
        process(7, "unshare\0--net\0sleep\0" + "1000\0", "unshare", "net:[101]", "uts:[200]");
        Files.createDirectories(proc.resolve("self")); // not a pid
        List<Namespace> all = scanner("root:x:0:0:root:/root:/bin/sh\n").scan(EnumSet.of(NamespaceType.NETWORK, NamespaceType.UTS), true);
        assertEquals(3, all.size());
        assertEquals(new Namespace(100, NamespaceType.NETWORK, List.of(2), "root", "kthreadd", 0), all.get(0));
        assertEquals(new Namespace(101, NamespaceType.NETWORK, List.of(7, 30), "root", "unshare --net sleep 1000", 0), all.get(1));
        assertEquals(new Namespace(200, NamespaceType.UTS, List.of(2, 7, 30), "root", "kthreadd", 0), all.get(2));
    }

    @Test
    void filtersByTypeAndSkipsProcessesWithoutTheLink() throws IOException {
        process(5, "a\0", "a", "ipc:[300]");
        process(6, "b\0", "b"); // a zombie: no links to read
        List<Namespace> ipc = scanner("").scan(EnumSet.of(NamespaceType.IPC), true);
        assertEquals(List.of(300L), ipc.stream().map(Namespace::inode).toList());
        assertEquals(List.of(), scanner("").scan(EnumSet.of(NamespaceType.TIME), true));
    }

    @Test
    void leavesParentsUnaskedWhenNotWanted() throws IOException {
        process(3, "x\0", "x", "pid:[400]");
        assertEquals(-1, scanner("").scan(EnumSet.of(NamespaceType.PID), false).getFirst().parent());
    }

    @Test
    void findsTheProcessesOfOneNamespace() throws IOException {
        process(9, "x\0", "x", "net:[100]");
        process(10, "y\0", "y", "net:[101]");
        process(11, "z\0", "z", "net:[100]");
        assertEquals(List.of(9, 11), scanner("").pidsIn(NamespaceType.NETWORK, 100));
    }

    @Test
    void namesUsersFromPasswdAndAnUnknownUidByItsNumber() throws IOException {
        UserNames names = new UserNames(Files.writeString(etc.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nbad line\ntoor:x:0:0::/:/bin/sh\n"));
        assertEquals("root", names.of(0)); // the first entry, as getpwuid finds it
        assertEquals("4242", names.of(4242));
    }

    @Test
    void readsTheInodeFromTheLinkText() {
        assertEquals(4026531840L, NamespaceScanner.inodeOf("net:[4026531840]"));
    }
}
