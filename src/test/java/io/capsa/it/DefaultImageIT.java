package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * target/busybox.oci.tar, the busybox image that `mvn package` makes (bin/make-busybox-image), read by tools
 * that are not capsa: skopeo checks its digests, umoci unpacks it, and capsa runs what umoci unpacked.
 */
class DefaultImageIT extends ContainerTestBase {
    private static final Path ARCHIVE = Cli.HOME.resolve("target/busybox.oci.tar");
    private static final String MAKE = Cli.HOME.resolve("bin/make-busybox-image").toString();

    @Test
    void skopeoReadsTheImageForThisMachineUnderTheManifestDigest() throws IOException {
        Map<String, Object> image = json(skopeo("inspect", "oci-archive:" + ARCHIVE));
        assertEquals(System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64", image.get("Architecture"));
        assertEquals("linux", image.get("Os"));
        Path layout = unpackArchive();
        Map<?, ?> manifest = indexEntry(layout);
        assertEquals(Map.of("org.opencontainers.image.ref.name", "latest", "io.containerd.image.name", "docker.io/library/busybox:latest"),
                manifest.get("annotations"));
        String digest = (String) manifest.get("digest");
        assertEquals(digest, image.get("Digest"));
        assertEquals(digest, sha256("cat " + blob(layout, digest)), "the manifest blob is named by its digest");
    }

    @Test
    void theConfigNamesTheUncompressedLayerAndRunsSh() throws IOException {
        Map<String, Object> config = json(skopeo("inspect", "--config", "oci-archive:" + ARCHIVE));
        Map<?, ?> process = (Map<?, ?>) config.get("config");
        assertEquals(List.of("sh"), process.get("Cmd"));
        assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), process.get("Env"));
        Path layout = unpackArchive();
        Map<?, ?> manifest = json(Files.readString(blob(layout, (String) indexEntry(layout).get("digest"))));
        String layer = (String) ((Map<?, ?>) ((List<?>) manifest.get("layers")).getFirst()).get("digest");
        String uncompressed = sha256("gzip -dc " + blob(layout, layer));
        assertEquals(List.of(uncompressed), ((Map<?, ?>) config.get("rootfs")).get("diff_ids"));
    }

    @Test
    void umociUnpacksARootfsOnWhichCapsaRunsEchoHi() throws IOException {
        Path layout = work.resolve("layout");
        skopeo("copy", "-q", "oci-archive:" + ARCHIVE, "oci:" + layout + ":latest");
        Path unpacked = work.resolve("unpacked");
        Command.ok(work, Map.of(), List.of("umoci", "unpack", "--image", layout + ":latest", unpacked.toString()));
        Path rootfs = unpacked.resolve("rootfs");
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(rootfs.resolve("bin/echo")));
        assertEquals("1777 0:0", Command.ok(work, Map.of(), List.of("stat", "-c", "%a %u:%g", rootfs.resolve("tmp").toString())).strip());
        assertTrue(Files.readString(rootfs.resolve("etc/passwd")).contains("\nnobody:x:65534:65534:"));

        Path bundle = Files.createDirectories(work.resolve("bundle"));
        capsa.ok("spec", "--bundle", bundle.toString());
        Bundle b = Bundle.load(bundle);
        b.root().put("path", rootfs.toString());
        b.process().put("terminal", false);
        b.args("echo", "hi");
        Cli.Result r = capsa.run("run", "--bundle", bundle.toString(), newId());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("hi", r.text());
    }

    /** From copies of busybox with other mtimes too: nothing of the build machine's files gets in. */
    @Test
    void everyBuildOfTheSameBusyboxGivesTheSameBytes() throws IOException {
        Path busybox = Path.of(Command.ok(work, Map.of(), List.of("sh", "-c", "command -v busybox")).strip());
        for (String build : List.of("a", "b")) {
            Path copy = Files.copy(busybox, Files.createDirectories(work.resolve(build)).resolve("busybox"));
            Files.setLastModifiedTime(copy, FileTime.fromMillis(build.equals("a") ? 0 : System.currentTimeMillis()));
            Command.ok(work, Map.of(), List.of(MAKE, work.resolve(build + ".tar").toString(), copy.toString()));
        }
        assertEquals(-1, Files.mismatch(work.resolve("a.tar"), work.resolve("b.tar")));
        assertEquals(-1, Files.mismatch(work.resolve("a.tar"), ARCHIVE), "the same as mvn package made");
    }

    @Test
    void refusesADynamicallyLinkedBusybox() throws IOException {
        refusedToBuild("/bin/ls is dynamically linked, not static (install Debian's busybox-static)", Map.of(), MAKE, out(), "/bin/ls");
    }

    @Test
    void refusesAMissingBusybox() throws IOException {
        refusedToBuild("cannot read /nonexistent/busybox: No such file or directory", Map.of(), MAKE, out(), "/nonexistent/busybox");
        Path empty = Files.createDirectories(work.resolve("empty"));
        refusedToBuild("busybox not found on PATH (install Debian's busybox-static)", Map.of("PATH", empty.toString()),
                "/usr/bin/python3", MAKE, out());
    }

    /** One error line, and nothing in the output's directory, not even a partial archive. */
    private void refusedToBuild(String expected, Map<String, String> env, String... build) throws IOException {
        refused(null, "make-busybox-image: " + expected, Command.run(work, env, List.of(build)));
        try (Stream<Path> files = Files.list(work.resolve("out"))) {
            assertEquals(List.of(), files.toList());
        }
    }

    /** The archive a refused build would write, in a directory of its own. */
    private String out() throws IOException {
        return Files.createDirectories(work.resolve("out")).resolve("busybox.oci.tar").toString();
    }

    private String skopeo(String... args) {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        return Command.ok(work, Map.of(), command);
    }

    /** The archive's OCI layout, extracted by tar. */
    private Path unpackArchive() throws IOException {
        Path layout = Files.createDirectories(work.resolve("archive"));
        Command.ok(work, Map.of(), List.of("tar", "-C", layout.toString(), "-xf", ARCHIVE.toString()));
        return layout;
    }

    /** index.json's one manifest descriptor. */
    private static Map<?, ?> indexEntry(Path layout) throws IOException {
        return (Map<?, ?>) ((List<?>) json(Files.readString(layout.resolve("index.json"))).get("manifests")).getFirst();
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static Map<String, Object> json(String text) throws IOException {
        return JSON.std.mapFrom(text);
    }

    /** The digest of what a shell command writes, as sha256sum computes it. */
    private String sha256(String command) {
        return "sha256:" + Command.ok(work, Map.of(), List.of("sh", "-c", command + " | sha256sum")).split(" ")[0];
    }
}
