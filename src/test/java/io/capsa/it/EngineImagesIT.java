package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/capsa's image commands (images, image inspect, history, tag, rmi, image prune) on a data root of the
 * test's own, which holds the default busybox image from its first use. What they print is checked against
 * skopeo's reading of the same archive.
 */
class EngineImagesIT {
    private static final Path ARCHIVE = Cli.HOME.resolve("target/busybox.oci.tar");

    @TempDir
    Path dir;
    private Path dataRoot;
    private EngineCli capsa;
    /** busybox's image ID as skopeo reads it: the config digest. */
    private String id;

    @BeforeEach
    void setUp() throws IOException {
        dataRoot = dir.resolve("data");
        capsa = new EngineCli(dataRoot);
        Map<String, Object> manifest = JSON.std.mapFrom(skopeo("inspect", "--raw", "oci-archive:" + ARCHIVE));
        id = (String) ((Map<?, ?>) manifest.get("config")).get("digest");
    }

    private String skopeo(String... args) {
        return Command.ok(dir, Map.of(), Stream.concat(Stream.of("skopeo"), Stream.of(args)).toList());
    }

    private String shortId() {
        return id.substring("sha256:".length(), "sha256:".length() + 12);
    }

    private void assertRefused(String expected, String... args) {
        Cli.Result r = capsa.run(args);
        assertEquals(125, r.exit(), r.toString());
        assertEquals(List.of(expected), r.errLines(), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void aFreshDataRootListsBusyboxAsDockerDoes() throws IOException {
        String[] lines = capsa.ok("images").split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        assertEquals("REPOSITORY   TAG       IMAGE ID       CREATED        SIZE", lines[0]);
        assertTrue(lines[1].matches("busybox      latest    " + shortId() + "   56 years ago   \\d\\.\\d\\dMB"), lines[1]);
        assertEquals(shortId() + "\n", capsa.ok("images", "-q"));
        assertEquals(id + "\n", capsa.ok("image", "ls", "-q", "--no-trunc"));
        assertEquals("busybox:latest\n", capsa.ok("image", "list", "--format", "{{.Repository}}:{{.Tag}}"));
        assertEquals("REPOSITORY   TAG\nbusybox      latest\n", capsa.ok("images", "--format", "table {{.Repository}}\\t{{.Tag}}"));
        Map<String, Object> row = JSON.std.mapFrom(capsa.ok("images", "--format", "json"));
        assertEquals("busybox", row.get("Repository"));
        assertEquals(shortId(), row.get("ID"));
        assertEquals("1970-01-01 00:00:00 +0000 UTC", row.get("CreatedAt"));
        // the size is the unpacked files' bytes: Debian's busybox-static, as installed on this host, and its links
        long size = Long.parseLong(inspect("{{.Size}}"));
        long busybox = Files.size(Path.of("/bin/busybox"));
        assertTrue(size >= busybox && size < busybox + 65536, size + " for a busybox of " + busybox);
        assertEquals(String.format("%.2fMB", size / 1e6), row.get("Size"));
    }

    private String inspect(String template) {
        return capsa.ok("image", "inspect", "-f", template, "busybox").strip();
    }

    @Test
    void imageInspectShowsDockersShapeAndTemplates() throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
        assertEquals("linux/" + arch, inspect("{{.Os}}/{{.Architecture}}"));
        assertEquals("[\"sh\"]", inspect("{{json .Config.Cmd}}"));
        assertEquals("busybox:latest", inspect("{{index .RepoTags 0}}"));
        String text = capsa.ok("image", "inspect", "busybox");
        assertTrue(text.startsWith("[\n    {\n        \"Id\": \"" + id + "\",\n"), text);
        List<Object> all = JSON.std.listFrom(text);
        assertEquals(1, all.size());
        Map<?, ?> image = (Map<?, ?>) all.getFirst();
        assertEquals(List.of("Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "Config", "Architecture", "Os",
                "Size", "RootFS", "Metadata"), List.copyOf(image.keySet()));
        Map<?, ?> config = JSON.std.mapFrom(skopeo("inspect", "--config", "oci-archive:" + ARCHIVE));
        assertEquals(Map.of("Type", "layers", "Layers", ((Map<?, ?>) config.get("rootfs")).get("diff_ids")), image.get("RootFS"));
        assertEquals(((Map<?, ?>) config.get("config")).get("Env"), ((Map<?, ?>) image.get("Config")).get("Env"));
        // capsa inspect resolves images (containers come later), by name or by ID
        assertEquals(text, capsa.ok("inspect", "busybox"));
        assertEquals(text, capsa.ok("inspect", shortId()));
        assertEquals(text, capsa.ok("inspect", id));
        assertEquals(text, capsa.ok("inspect", id.substring("sha256:".length())));
    }

    @Test
    void historyShowsTheConfigsSteps() {
        String[] lines = capsa.ok("history", "busybox").split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        assertEquals("IMAGE          CREATED        CREATED BY                                      SIZE      COMMENT", lines[0]);
        assertTrue(lines[1].startsWith(shortId() + "   56 years ago   "), lines[1]);
        assertEquals(shortId() + "\n", capsa.ok("history", "-q", "busybox"));
    }

    @Test
    void tagRmiAndPruneEmptyTheStore() throws IOException {
        assertEquals("", capsa.ok("tag", "busybox", "localhost:5000/x:v1"));
        assertEquals("busybox:latest " + shortId() + "\nlocalhost:5000/x:v1 " + shortId() + "\n",
                capsa.ok("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"));
        assertEquals("localhost:5000/x\n", capsa.ok("images", "--filter", "reference=localhost:5000/*", "--format", "{{.Repository}}"));
        assertEquals("[\"busybox:latest\",\"localhost:5000/x:v1\"]", inspect("{{json .RepoTags}}"));
        assertRefused("Error: conflict: unable to delete " + shortId() + " (must be forced) - image is referenced in multiple repositories",
                "rmi", shortId());

        assertEquals("Untagged: localhost:5000/x:v1\n", capsa.ok("rmi", "localhost:5000/x:v1"));
        Cli.Result no = capsa.runWithInput("n\n", "image", "prune", "-a");
        assertEquals(0, no.exit(), no.toString());
        assertEquals(shortId() + "\n", capsa.ok("images", "-q"), "answered no: nothing removed");
        assertEquals("Total reclaimed space: 0B\n", capsa.ok("image", "prune", "-f"), "busybox is tagged: no dangling image");

        assertEquals("Untagged: busybox:latest\nDeleted: " + id + "\n", capsa.ok("image", "rm", "busybox"));
        assertEquals("REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n", capsa.ok("images"), "emptied, it stays empty");
        assertEquals("Total reclaimed space: 0B\n", capsa.ok("image", "prune", "-a", "-f"));
        try (Stream<Path> blobs = Files.walk(dataRoot.resolve("blobs")); Stream<Path> layers = Files.list(dataRoot.resolve("layers"))) {
            assertEquals(List.of(), blobs.filter(Files::isRegularFile).toList());
            assertEquals(List.of(), layers.toList());
        }
    }

    @Test
    void rmiByIdWithForceRemovesEveryName() {
        capsa.ok("tag", "busybox", "example.com/team/box:1.0");
        assertEquals("example.com/team/box   1.0   <none>\n",
                capsa.ok("images", "--digests", "--format", "{{.Repository}}\t{{.Tag}}\t{{.Digest}}", "example.com/team/box:1.0").replace("\t", "   "));
        assertEquals("REPOSITORY   TAG       DIGEST    IMAGE ID   CREATED   SIZE\n", capsa.ok("images", "--digests", "nope"),
                "a repository that is not there: only the header");
        assertEquals("Untagged: busybox:latest\nUntagged: example.com/team/box:1.0\nDeleted: " + id + "\n", capsa.ok("rmi", "-f", shortId()));
        assertEquals("", capsa.ok("images", "-q"));
    }

    @Test
    void pruneAllRemovesWhatNoContainerUsesAndSaysHowMuch() {
        String size = capsa.ok("images", "--format", "{{.Size}}").strip();
        Cli.Result yes = capsa.runWithInput("y\n", "image", "prune", "-a");
        assertEquals("WARNING! This will remove all images without at least one container associated to them.\n"
                + "Are you sure you want to continue? [y/N] Deleted Images:\nuntagged: busybox:latest\ndeleted: " + id
                + "\n\nTotal reclaimed space: " + size + "\n", yes.out(), yes.toString());
        assertEquals("", capsa.ok("images", "-q"));
    }

    @Test
    void badInputIsOneErrorLine() {
        assertRefused("Error: template parsing error: template: :1: unclosed action", "images", "--format", "{{.Foo");
        assertRefused("Error: template parsing error: template: :1: unclosed action", "history", "--format", "{{.Foo", "busybox");
        assertRefused("Error: invalid filter \"nope\"", "images", "--filter", "nope=1");
        assertRefused("Error: invalid filter 'dangling=maybe'", "images", "--filter", "dangling=maybe");
        assertFalse(Files.exists(dataRoot), "refused before the data root is used");
        assertRefused("Error: No such image: nope", "image", "inspect", "nope");
        assertRefused("Error: No such image: nope", "rmi", "nope");
        capsa.ok("tag", "busybox", "other");
        Cli.Result partly = capsa.run("rmi", "other", "nope");
        assertEquals(125, partly.exit(), partly.toString());
        assertEquals("Untagged: other:latest\n", partly.out(), "what was removed before the refusal is told");
        assertEquals(List.of("Error: No such image: nope"), partly.errLines());
        assertRefused("Error: No such image: nope", "tag", "nope", "x");
        assertRefused("Error: No such image: nope", "history", "nope");
        assertRefused("Error: No such image: " + "0".repeat(64), "image", "inspect", "0".repeat(64));
        assertRefused("Error: invalid reference format \"Bad//Ref\": repository name must be lowercase", "image", "inspect", "Bad//Ref");
        assertRefused("Error: No such object: Bad//Ref", "inspect", "Bad//Ref"); // neither container nor image, as Docker says
        assertRefused("Error: template parsing error: template: :1: function \"nope\" not defined", "image", "inspect", "-f", "{{nope}}", "busybox");
        assertEquals(shortId() + "\n", capsa.ok("images", "-q"), "nothing changed");
    }
}
