package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;
import io.capsa.image.Digest;
import io.capsa.image.ImageInfo;
import io.capsa.image.Images;
import io.capsa.image.Platform;
import io.capsa.image.archive.DefaultImage;
import io.capsa.image.registry.RegistryOptions;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.ImageStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * capsa save, load and import through bin/capsa, as a user calls them: archives that skopeo reads and another
 * data root loads whole, and bad input refused with one line and nothing stored.
 */
class EngineArchiveIT {

    @TempDir
    Path dir;

    /** bin/capsa --data-root ROOT ARGS, after the shell's redirections ("<'FILE'"; none leaves stdin /dev/null). */
    private Cli.Result capsa(String redirections, Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec " + redirections + "; exec \"$@\"", "sh",
                EngineCli.CAPSA.toString(), "--data-root", root.toString()));
        command.addAll(List.of(args));
        return Cli.await(Cli.start(new ProcessBuilder(command), dir.resolve("scratch")));
    }

    private Cli.Result capsa(Path root, String... args) {
        return capsa("", root, args);
    }

    private String ok(String redirections, Path root, String... args) {
        Cli.Result r = capsa(redirections, root, args);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err(), r.toString());
        return r.out();
    }

    /** A data root whose images were all removed: one that gets no default image. */
    private Path emptyDataRoot(String name) {
        Path root = dir.resolve(name);
        new ImageStore(root).images().remove(DefaultImage.NAME);
        return root;
    }

    private static void assertRefused(String expected, Cli.Result r) {
        assertEquals(125, r.exit(), r.toString());
        assertEquals(List.of(expected), r.errLines(), r.toString());
        assertEquals("", r.out());
    }

    private static <T> T withImages(Path root, Function<Images, T> read) {
        try (Images images = new Images(new ImageStore(root), RegistryOptions.defaults())) {
            return read.apply(images);
        }
    }

    private static List<String> names(Path root) {
        return withImages(root, images -> images.list().stream().map(ImageRecord::name).sorted().toList());
    }

    private static Digest target(Path root, String name) {
        return withImages(root, images -> images.inspect(name, Platform.host()).record().target());
    }

    /** The busybox image's config digest: its image ID. */
    private static Digest config(Path root) {
        ImageStore store = new ImageStore(root);
        return store.manifest(withImages(root, images -> images.inspect(DefaultImage.NAME, Platform.host()).manifest())).config().digest();
    }

    private static Map<String, Object> skopeoInspect(String image) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("skopeo", "inspect", image).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return JSON.std.mapFrom(out);
    }

    /** What a failure may leave in a data root: no record, and no file in its tmp/. */
    private static void assertNothingHalfStored(Path root, List<String> names) throws IOException {
        assertEquals(names, names(root));
        Path tmp = new ImageStore(root).root().tmp();
        if (Files.exists(tmp)) try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void saveWritesDockerAndOciArchivesThatSkopeoReadsAndLoadTakesWhole() throws Exception {
        Path from = dir.resolve("from");
        Path docker = dir.resolve("busybox.tar");
        assertEquals("", ok("", from, "save", "-o", docker.toString(), "busybox"));
        Path oci = dir.resolve("busybox.oci.tar");
        assertEquals("", ok(">'" + oci + "'", from, "image", "save", "--format", "oci-archive", "busybox"));
        assertEquals("-rw-r--r--", sh("umask 022; " + EngineCli.CAPSA + " --data-root " + from + " save -o " + dir.resolve("umask.tar")
                + " busybox && stat -c %A " + dir.resolve("umask.tar")), "the umask's mode, as docker save's file has");

        Digest busybox = target(from, DefaultImage.NAME);
        Map<String, Object> fromOci = skopeoInspect("oci-archive:" + oci);
        assertEquals(busybox.toString(), fromOci.get("Digest"), "the manifest as stored");
        Map<String, Object> fromDocker = skopeoInspect("docker-archive:" + docker);
        List<String> diffIds = withImages(from, images -> images.inspect(DefaultImage.NAME, Platform.host()).config().diffIds()
                .stream().map(Digest::toString).toList());
        assertEquals(diffIds, fromDocker.get("Layers"), "the layers uncompressed, as docker save writes them");
        assertEquals("linux", fromDocker.get("Os"));

        Path byFile = emptyDataRoot("by-file");
        assertEquals(List.of(), names(byFile));
        assertEquals("Loaded image: busybox:latest\n", ok("", byFile, "load", "-i", docker.toString()));
        assertEquals(List.of(DefaultImage.NAME), names(byFile));
        assertEquals(config(from), config(byFile), "the same image, from a docker-archive");

        Path byStdin = emptyDataRoot("by-stdin");
        assertEquals("Loaded image: busybox:latest\n", ok("<'" + oci + "'", byStdin, "image", "load", "-q"));
        assertEquals(List.of(DefaultImage.NAME), names(byStdin));
        assertEquals(busybox, target(byStdin, DefaultImage.NAME), "the same manifest, from an oci-archive");
    }

    @Test
    void loadNamesImagesAsDockerDoes() throws Exception {
        Path from = dir.resolve("from");
        DefaultImage.ensureLoaded(new ImageStore(from), DefaultImage.bundledArchive());
        withImages(from, images -> images.tag(DefaultImage.NAME, "localhost:5000/team/tool:1"));
        withImages(from, images -> images.tag(DefaultImage.NAME, "someone/tool"));
        Path archive = dir.resolve("three.tar");
        ok("", from, "save", "-o", archive.toString(), "busybox", "localhost:5000/team/tool:1", "someone/tool");
        Path to = emptyDataRoot("to");
        assertEquals("Loaded image: busybox:latest\nLoaded image: localhost:5000/team/tool:1\nLoaded image: someone/tool:latest\n",
                ok("", to, "load", "-i", archive.toString()));
        assertEquals(List.of("docker.io/library/busybox:latest", "docker.io/someone/tool:latest", "localhost:5000/team/tool:1"), names(to));

        Path unnamed = dir.resolve("unnamed.tar");
        sh("skopeo copy -q docker-archive:" + archive + ":someone/tool:latest docker-archive:" + unnamed);
        Path fresh = emptyDataRoot("fresh");
        assertEquals("Loaded image ID: " + config(from) + "\n", ok("", fresh, "load", "-i", unnamed.toString()));
        assertEquals(1, names(fresh).size(), "recorded under its digest, as an image without a name");
    }

    @Test
    void importMakesAnImageOfATarballWithTheChangesGiven() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("motd"), "imported\n");
        Path tarball = dir.resolve("rootfs.tar");
        sh("tar -C " + rootfs.getParent() + " -cf " + tarball + " .");
        Path root = emptyDataRoot("root");
        String id = ok("", root, "import", "--change", "CMD [\"sh\"]", "-c", "ENV A=b", tarball.toString(), "imported:v1").strip();
        ImageInfo info = withImages(root, images -> images.inspect("imported:v1", Platform.host()));
        assertEquals(new ImageStore(root).manifest(info.manifest()).config().digest().toString(), id, "the image ID, as docker import prints it");
        assertEquals(List.of("sh"), info.config().cmd());
        assertEquals(List.of("A=b"), info.config().env());
        assertEquals(Platform.host().architecture(), info.config().architecture());

        String fromStdin = ok("<'" + tarball + "'", root, "image", "import", "-m", "from a test", "-").strip();
        Map<String, Object> config = JSON.std.mapFrom(new ImageStore(root).blobs().read(Digest.parse(fromStdin)));
        assertEquals("from a test", ((Map<?, ?>) ((List<?>) config.get("history")).getFirst()).get("comment"));
        List<String> names = names(root);
        assertEquals(2, names.size(), names.toString());
        assertEquals("docker.io/library/imported:v1", names.getFirst());
        assertTrue(names.getLast().startsWith("sha256:"), "an image imported without a name is kept under its digest: " + names);
    }

    @Test
    void badInputIsRefusedWithOneLineAndNothingStored() throws Exception {
        Path root = emptyDataRoot("root");
        assertRefused("Error: load " + dir.resolve("missing.tar") + ": no such file", capsa(root, "load", "-i", dir.resolve("missing.tar").toString()));
        Path archive = dir.resolve("busybox.tar");
        ok("", dir.resolve("from"), "save", "-o", archive.toString(), "busybox");
        Path truncated = dir.resolve("truncated.tar");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(archive), (int) Files.size(archive) / 2));
        Cli.Result r = capsa("<'" + truncated + "'", root, "load");
        assertEquals(125, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().startsWith("Error: load -: "), r.toString());
        assertNothingHalfStored(root, List.of());
        Path text = Files.writeString(dir.resolve("text.tar"), "hello\n");
        assertRefused("Error: load " + text + ": not a tar archive (nor a gzip or zstd compressed one)", capsa(root, "load", "-i", text.toString()));

        Path out = dir.resolve("out.tar");
        assertRefused("Error: save: image docker.io/library/nope:latest is not in the store",
                capsa(dir.resolve("from"), "save", "-o", out.toString(), "busybox", "nope"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains("out.tar")).toList(), "no archive, whole or partial");
        }
        assertRefused("Error: save /nonexistent/busybox.tar: no such directory /nonexistent",
                capsa(dir.resolve("from"), "save", "-o", "/nonexistent/busybox.tar", "busybox"));
        assertRefused("Error: capsa import takes a file or -, not the URL \"https://example.com/rootfs.tar\"",
                capsa(root, "import", "https://example.com/rootfs.tar", "x"));
        assertRefused("Error: import " + dir.resolve("missing.tar") + ": no such file", capsa(root, "import", dir.resolve("missing.tar").toString()));
        assertNothingHalfStored(root, List.of());

        // script(1) gives capsa a terminal for stdout, as an interactive shell would.
        String onTerminal = sh("script -qec '" + EngineCli.CAPSA + " --data-root " + root + " save busybox' /dev/null; echo \"exit $?\"");
        assertEquals("Error: cowardly refusing to save to a terminal. Use the -o flag or redirect\nexit 125", onTerminal.replace("\r", ""));
        String fromTerminal = sh("script -qec '" + EngineCli.CAPSA + " --data-root " + root + " load' /dev/null; echo \"exit $?\"");
        assertEquals("Error: requested load from stdin, but stdin is empty\nexit 125", fromTerminal.replace("\r", ""));
        assertNothingHalfStored(root, List.of());
    }

    private static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
