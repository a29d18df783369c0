package io.capsa.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/capsa's commands on a container's files, end to end: cp both ways (files, directories, tar streams,
 * running and stopped containers) with symlinks planted in the container to lead it out, diff, export,
 * commit, container prune, system df and system prune.
 */
class EngineFilesIT {
    @TempDir
    Path dir;
    private EngineCli capsa;
    private Path host;

    @BeforeEach
    void setUp() throws IOException {
        capsa = new EngineCli(dir.resolve("data"));
        host = Files.createDirectory(dir.resolve("host"));
    }

    @AfterEach
    void removeAll() {
        capsa.removeAll(dir);
    }

    private void assertRefused(String expected, String... args) {
        capsa.assertRefused(expected, args);
    }

    private String exec(String container, String script) {
        return capsa.ok("exec", container, "sh", "-c", script);
    }

    @Test
    void cpCopiesFilesAndDirectoriesBothWaysWithTheirModes() throws IOException {
        capsa.ok("run", "-d", "--name", "box", "busybox", "sleep", "1000");
        Path file = Files.writeString(host.resolve("notes.txt"), "from the host\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        capsa.ok("cp", file.toString(), "box:/tmp/");
        assertEquals("from the host\n640 0\n", exec("box", "cat /tmp/notes.txt; stat -c '%a %u' /tmp/notes.txt"));
        capsa.ok("cp", file.toString(), "box:/tmp/renamed.txt");
        assertEquals("from the host\n", exec("box", "cat /tmp/renamed.txt"));

        // owners: the receiving side's root user, or with -a the file's own
        Files.setAttribute(file, "unix:uid", 4321);
        capsa.ok("cp", file.toString(), "box:/tmp/root-owned");
        capsa.ok("cp", "-a", file.toString(), "box:/tmp/kept-owner");
        assertEquals("0\n4321\n", exec("box", "stat -c %u /tmp/root-owned /tmp/kept-owner"));
        capsa.ok("cp", "box:/tmp/kept-owner", host.resolve("out-root").toString());
        capsa.ok("cp", "-a", "box:/tmp/kept-owner", host.resolve("out-kept").toString());
        assertEquals(0, Files.getAttribute(host.resolve("out-root"), "unix:uid"));
        assertEquals(4321, Files.getAttribute(host.resolve("out-kept"), "unix:uid"));

        exec("box", "mkdir -p /data/sub && echo deep > /data/sub/f && chmod 4751 /data/sub/f && ln -s sub/f /data/link");
        capsa.ok("cp", "box:/data", host.resolve("copy").toString()); // a new name: the directory's contents go there
        assertEquals("deep\n", Files.readString(host.resolve("copy/sub/f")));
        assertEquals("rwxr-x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(host.resolve("copy/sub/f"))));
        assertEquals(Path.of("sub/f"), Files.readSymbolicLink(host.resolve("copy/link")), "a symlink is copied as one");
        capsa.ok("cp", "box:/data", host.toString()); // an existing directory: copied into it by its name
        assertEquals("deep\n", Files.readString(host.resolve("data/sub/f")));
        capsa.ok("cp", "-L", "box:/data/link", host.resolve("followed").toString());
        assertEquals("deep\n", Files.readString(host.resolve("followed")));
        assertFalse(Files.isSymbolicLink(host.resolve("followed")));

        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        xattrs.write("capsa.test", ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)));
        capsa.ok("cp", file.toString(), "box:/tmp/xattr.txt");
        capsa.ok("cp", "box:/tmp/xattr.txt", host.resolve("xattr-back.txt").toString());
        UserDefinedFileAttributeView back = Files.getFileAttributeView(host.resolve("xattr-back.txt"), UserDefinedFileAttributeView.class);
        ByteBuffer value = ByteBuffer.allocate(16);
        back.read("capsa.test", value);
        assertEquals("kept", new String(value.array(), 0, value.position(), StandardCharsets.UTF_8), "extended attributes go both ways");

        capsa.ok("stop", "-t", "0", "box"); // a stopped container's root is mounted for the copy, and unmounted after
        capsa.ok("cp", host.resolve("notes.txt").toString(), "box:/stopped.txt");
        capsa.ok("cp", "box:/stopped.txt", host.resolve("back.txt").toString());
        assertEquals("from the host\n", Files.readString(host.resolve("back.txt")));
        assertEquals(List.of(), Leaks.mountsUnder(dir.toString()));
    }

    @Test
    void cpWithDashStreamsATarArchiveBothWays() throws IOException {
        capsa.ok("run", "-d", "--name", "box", "--tmpfs", "/scratch", "busybox", "sleep", "1000");
        exec("box", "echo in-tmpfs > /scratch/f");
        Cli.Result mounted = capsa.shell("$CAPSA cp box:/scratch/f - | tar -xO");
        assertEquals("in-tmpfs\n", mounted.out(), "a running container's files as it sees them, its mounts too");
        Cli.Result exported = capsa.shell("$CAPSA export box | tar -t | grep scratch");
        assertEquals("scratch/\n", exported.out(), "export takes the root file system alone");
        exec("box", "mkdir /out && echo one > /out/a && echo two > /out/b");
        Cli.Result listed = capsa.shell("$CAPSA cp box:/out - | tar -t | sort");
        assertEquals(0, listed.exit(), listed.toString());
        assertEquals("out/\nout/a\nout/b\n", listed.out());

        Files.createDirectories(host.resolve("tree/d"));
        Files.writeString(host.resolve("tree/d/x"), "streamed\n");
        Files.setLastModifiedTime(host.resolve("tree/d"), FileTime.fromMillis(978_307_200_000L));
        Cli.Result in = capsa.shell("tar -c -C " + host.resolve("tree") + " d | $CAPSA cp - box:/tmp");
        assertEquals(0, in.exit(), in.toString());
        assertEquals("streamed\n978307200\n", exec("box", "cat /tmp/d/x; stat -c %Y /tmp/d"), "a directory's time is set after its files");
    }

    @Test
    void symlinksInTheContainerNeverLeadTheCopyToTheHost() throws IOException {
        Path secret = Files.writeString(host.resolve("secret"), "host only\n");
        capsa.ok("run", "-d", "--name", "box", "busybox", "sleep", "1000");
        // the same path as the host's directory, inside the container: a write through a symlink must land here
        exec("box", "mkdir -p " + host + " && ln -s " + host + " /abs && ln -s ../../../../../../../.." + host + " /up"
                + " && ln -s " + secret + " /leak");

        capsa.ok("cp", "box:/leak", host.resolve("got").toString());
        assertEquals(secret, Files.readSymbolicLink(host.resolve("got")), "copied as the symlink it is, not followed");
        assertRefused("Error: Could not find the file /leak in container box", "cp", "-L", "box:/leak", host.resolve("got2").toString());
        assertRefused("Error: Could not find the file /up/secret in container box", "cp", "box:/up/secret", host.resolve("got3").toString());
        assertFalse(Files.exists(host.resolve("got2"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(host.resolve("got3"), LinkOption.NOFOLLOW_LINKS));

        Path planted = Files.writeString(dir.resolve("planted"), "written\n");
        capsa.ok("cp", planted.toString(), "box:/abs/");
        capsa.ok("cp", planted.toString(), "box:/up/secret");
        assertFalse(Files.exists(host.resolve("planted")), "nothing written to the host's directory");
        assertEquals("host only\n", Files.readString(secret), "the host's file is untouched");
        assertEquals("written\nwritten\n", exec("box", "cat " + host + "/planted " + host + "/secret"));

        // a tar stream whose directory has the name of a symlink there: the symlink is replaced, not followed
        Files.createDirectories(dir.resolve("tree/abs"));
        Files.writeString(dir.resolve("tree/abs/evil"), "evil\n");
        Cli.Result r = capsa.shell("tar -c -C " + dir.resolve("tree") + " abs | $CAPSA cp - box:/");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(Files.exists(host.resolve("evil")));
        assertEquals("evil\n", exec("box", "[ -L /abs ] || cat /abs/evil"));
    }

    @Test
    void diffListsWhatTheContainerAddedChangedAndDeleted() {
        capsa.ok("run", "--name", "box", "busybox", "sh", "-c", "touch /tmp/new; rm /bin/ls; mkdir /var/made");
        assertEquals("C /bin\nD /bin/ls\nC /tmp\nA /tmp/new\nC /var\nA /var/made\n", capsa.ok("diff", "box"));
        capsa.ok("create", "--name", "fresh", "busybox", "true");
        assertEquals("", capsa.ok("container", "diff", "fresh"));
    }

    @Test
    void exportWritesTheWholeRootAsATar() throws IOException {
        capsa.ok("run", "--name", "box", "busybox", "sh", "-c", "echo mine > /etc/mine");
        Path tar = host.resolve("box.tar");
        capsa.ok("export", "-o", tar.toString(), "box");
        Cli.Result listed = capsa.shell("tar -tf " + tar);
        assertEquals(0, listed.exit(), listed.toString());
        assertTrue(listed.out().lines().anyMatch(l -> l.equals("etc/mine")), listed.out());
        assertTrue(listed.out().lines().anyMatch(l -> l.equals("bin/busybox")), listed.out());
        Cli.Result streamed = capsa.shell("$CAPSA export box | tar -xO etc/mine");
        assertEquals("mine\n", streamed.out(), streamed.toString());
    }

    @Test
    void commitMakesAnImageThatRunsWithTheContainersFiles() {
        capsa.ok("run", "--name", "box", "busybox", "sh", "-c", "echo committed > /hello; rm /bin/ls");
        String id = capsa.ok("commit", "-c", "ENV GREETING=hi", "-m", "a message", "-a", "someone", "box", "mine:1").strip();
        assertTrue(id.matches("sha256:[0-9a-f]{64}"), id);
        assertEquals("committed\nhi\ngone\n", capsa.ok("run", "--rm", "mine:1", "sh", "-c", "cat /hello; echo $GREETING; [ -e /bin/ls ] || echo gone"));
        capsa.ok("run", "-d", "--name", "live", "busybox", "sh", "-c", "echo live > /live; exec sleep 1000");
        exec("live", "while [ ! -s /live ]; do sleep 0.05; done");
        capsa.ok("commit", "live", "live:1"); // paused for the commit, running again after it
        assertEquals("running", capsa.ok("inspect", "-f", "{{.State.Status}}", "live").strip());
        assertEquals("live\n", capsa.ok("run", "--rm", "live:1", "cat", "/live"));
        String history = capsa.ok("history", "mine:1");
        assertTrue(history.lines().skip(1).findFirst().orElseThrow().endsWith("a message"), history);
    }

    @Test
    void pruneRemovesStoppedContainersOnly() {
        String up = capsa.ok("run", "-d", "--name", "up", "-v", "named:/v", "busybox", "sh", "-c", "echo 1234 > /v/f; exec sleep 1000").strip();
        exec("up", "while [ ! -s /v/f ]; do sleep 0.05; done");
        capsa.ok("run", "--name", "down", "busybox", "sh", "-c", "echo 12345 > /x");
        String down = capsa.ok("inspect", "-f", "{{.Id}}", "down").strip();
        String df = capsa.ok("system", "df");
        assertTrue(df.startsWith("TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\n"), df);
        assertTrue(df.contains("\nContainers      2         1         6B        6B (100%)\n"), df);
        assertTrue(df.contains("\nLocal Volumes   1         1         5B        0B (0%)\n"), df);
        assertEquals("Deleted Containers:\n" + down + "\n\nTotal reclaimed space: 6B\n", capsa.ok("container", "prune", "-f"));
        assertEquals(up + "\n", capsa.ok("ps", "-a", "-q", "--no-trunc"));
        capsa.ok("create", "--name", "created", "busybox", "true");
        String pruned = capsa.ok("system", "prune", "-f");
        assertTrue(pruned.startsWith("Deleted Containers:\n"), pruned);
        assertEquals(up + "\n", capsa.ok("ps", "-a", "-q", "--no-trunc"));
        assertEquals("", capsa.runWithInput("n\n", "container", "prune").out().replaceAll("WARNING.*\n|Are you sure.*", ""));
    }

    @Test
    void badInputIsRefusedWithOneLineAndChangesNothing() {
        capsa.ok("run", "-d", "--name", "box", "busybox", "sleep", "1000");
        Path dest = host.resolve("dest");
        assertRefused("Error: No such container: nope", "cp", "nope:/etc/passwd", dest.toString());
        assertRefused("Error: the path ../../etc/passwd leads out of the container's root", "cp", "box:../../etc/passwd", dest.toString());
        assertRefused("Error: must specify at least one container source (CONTAINER:PATH)", "cp", "a", dest.toString());
        assertRefused("Error: copying between containers is not supported", "cp", "box:/a", "box:/b");
        assertRefused("Error: no container named before ':' in :/etc", "cp", ":/etc", dest.toString());
        assertRefused("Error: Could not find the file /nothing in container box", "cp", "box:/nothing", dest.toString());
        assertRefused("Error: No such container: nope", "diff", "nope");
        assertRefused("Error: No such container: nope", "export", "-o", dest.toString(), "nope");
        assertRefused("Error: No such container: nope", "commit", "nope", "x:1");
        assertFalse(Files.exists(dest));
        assertEquals("1\n", capsa.ok("images", "-q").lines().count() + "\n");
    }
}
