package io.capsa.image.registry;

import io.capsa.image.Images;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.ImageStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/capsa pull, push, login and logout, end to end against docker-registry (one open, one with htpasswd) holding
 * an image that umoci made and skopeo pushed; each test with its own data root and Docker config directory.
 */
class EngineRegistryIT {
    private static final Path CAPSA = Path.of(System.getProperty("capsa.home", ".")).toAbsolutePath().resolve("bin/capsa");
    /** What a new data root holds: the default image, which its first use loads. */
    private static final List<String> DEFAULT_ONLY = List.of("docker.io/library/busybox:latest");
    private static Path tmp;
    private static LocalRegistry open;
    private static LocalRegistry locked;
    private static String image; // on the open registry
    private static String digest; // its manifest's, as skopeo sees it
    private Path dataRoot;
    private Path dockerConfig;

    record Result(int code, String out, String err) {
        List<String> lines() {
            return Tools.lines(out);
        }
    }

    @BeforeAll
    static void setUpRegistries() throws IOException {
        tmp = Files.createTempDirectory("capsa-engine-registry-it");
        open = new LocalRegistry(Files.createDirectory(tmp.resolve("open")), "");
        Path htpasswd = Files.writeString(tmp.resolve("htpasswd"), Tools.run("htpasswd", "-Bbn", "alice", "s3cret"));
        locked = new LocalRegistry(Files.createDirectory(tmp.resolve("locked")), """
                auth:
                  htpasswd:
                    realm: capsa-test
                    path: %s
                """.formatted(htpasswd));
        Path files = Files.createDirectory(tmp.resolve("files"));
        TestLayout layout = new TestLayout(tmp.resolve("layout"))
                .repacked("a", Files.writeString(files.resolve("hello.txt"), "hello\n"), Files.writeString(files.resolve("run.sh"), "echo run\n"));
        image = open.domain() + "/test/a:1";
        layout.push("a", image);
        layout.push("a", locked.domain() + "/test/a:1", "--dest-creds", "alice:s3cret");
        digest = inspectDigest(image);
    }

    @AfterAll
    static void tearDownRegistries() {
        if (open != null) open.close();
        if (locked != null) locked.close();
        Tools.deleteTree(tmp);
    }

    @BeforeEach
    void setUp() throws IOException {
        dataRoot = Files.createTempDirectory(tmp, "root");
        dockerConfig = Files.createTempDirectory(tmp, "docker");
    }

    @AfterEach
    void tearDown() {
        Tools.deleteTree(dataRoot);
        Tools.deleteTree(dockerConfig);
    }

    @Test
    void pullPrintsEachLayerAndTheDigestAndStoresTheImage() {
        Result r = capsa(null, "pull", image);
        assertEquals(0, r.code, r.toString());
        List<String> lines = r.lines();
        assertEquals("1: Pulling from test/a", lines.getFirst());
        assertEquals(2, lines.stream().filter(l -> l.matches("[0-9a-f]{12}: Pull complete")).count(), r.out);
        assertTrue(lines.contains("Digest: " + digest), r.out);
        assertTrue(lines.contains("Status: Downloaded newer image for " + image), r.out);
        assertEquals(image, lines.getLast());
        assertTrue(names().contains(image), names().toString());

        Result again = capsa(null, "pull", image);
        assertEquals(0, again.code, again.toString());
        assertTrue(again.lines().contains("Status: Image is up to date for " + image), again.out);
        assertEquals(2, again.lines().stream().filter(l -> l.matches("[0-9a-f]{12}: Already exists")).count(), again.out);
        assertFalse(again.out.contains("Pull complete"), again.out);
    }

    @Test
    void createPullsAnImageTheDataRootLacksAsDockerDoes() {
        Result r = capsa(null, "create", "--network", "none", image, "/run.sh");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.matches("[0-9a-f]{64}\n"), r.toString()); // stdout is the container's ID alone
        List<String> progress = Tools.lines(r.err); // the pull's progress goes to stderr, as docker run's does
        assertEquals("Unable to find image '" + image + "' locally", progress.getFirst(), r.err);
        assertTrue(progress.contains("1: Pulling from test/a") && progress.contains("Digest: " + digest)
                && progress.contains("Status: Downloaded newer image for " + image), r.err);
        assertTrue(names().contains(image), names().toString());
        assertEquals(0, capsa(null, "rm", r.out.strip()).code);
    }

    @Test
    void runOfAnImageTheRegistryLacksIsRefusedAndCreatesNothing() {
        String missing = open.domain() + "/test/nothing:1";
        Result r = capsa(null, "run", "--rm", "--network", "none", missing, "true");
        assertEquals(125, r.code, r.toString());
        assertEquals("", r.out, r.toString());
        List<String> err = Tools.lines(r.err);
        assertEquals(2, err.size(), r.err);
        assertEquals("Unable to find image '" + missing + "' locally", err.getFirst());
        assertTrue(err.getLast().startsWith("Error: ") && err.getLast().contains("manifest unknown"), r.err);
        assertEquals(new Result(0, "", ""), capsa(null, "ps", "--all", "--quiet"));
    }

    @Test
    void quietPullPrintsOnlyTheName() {
        Result r = capsa(null, "pull", "-q", image);
        assertEquals(new Result(0, image + "\n", ""), r);
        assertTrue(names().contains(image), names().toString());
    }

    @Test
    void pushedImageIsWhatSkopeoReadsBack() {
        assertEquals(0, capsa(null, "pull", "-q", image).code);
        // the store's tag command is another's: the library names the copy, the CLI pushes it
        try (Images images = new Images(new ImageStore(dataRoot), RegistryOptions.defaults())) {
            images.tag(image, open.domain() + "/other/b:2");
        }
        Result r = capsa(null, "push", open.domain() + "/other/b:2");
        assertEquals(0, r.code, r.toString());
        assertEquals("The push refers to repository [" + open.domain() + "/other/b]", r.lines().getFirst());
        assertEquals("2: digest: " + digest, r.lines().getLast());
        assertEquals(2, r.lines().stream().filter(l -> l.matches("[0-9a-f]{12}: (Pushed|Layer already exists|Mounted from .*)")).count(), r.out);
        assertEquals(digest, inspectDigest(open.domain() + "/other/b:2"));
    }

    @Test
    void loginStoresCredentialsOwnerOnlyAndLogoutForgetsThem() throws IOException {
        String lockedImage = locked.domain() + "/test/a:1";
        Result login = capsa("s3cret\n", "login", "-u", "alice", "--password-stdin", locked.domain());
        assertEquals(new Result(0, "Login Succeeded\n", ""), login);
        Path config = dockerConfig.resolve("config.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.readString(config).contains(auth), Files.readString(config));
        assertEquals(0, capsa(null, "pull", "-q", lockedImage).code);

        assertEquals(new Result(0, "Removing login credentials for " + locked.domain() + "\n", ""), capsa(null, "logout", locked.domain()));
        assertFalse(Files.readString(config).contains(auth), Files.readString(config));
        refused(capsa(null, "pull", locked.domain() + "/test/a:1"), "authentication required");
    }

    @Test
    void wrongPasswordIsRefusedAndNothingStored() {
        refused(capsa("wrong\n", "login", "-u", "alice", "--password-stdin", locked.domain()), "unauthorized");
        refused(capsa(null, "login", "-u", "alice", "-p", "wrong", locked.domain()), "unauthorized");
        refused(capsa(null, "login", locked.domain()), "Cannot perform an interactive login from a non TTY device");
        assertFalse(Files.exists(dockerConfig.resolve("config.json")));
    }

    @Test
    void unknownImageIsRefusedAndNothingNamed() {
        refused(capsa(null, "pull", open.domain() + "/test/nothing:1"), "manifest unknown");
        refused(capsa(null, "pull", open.domain() + "/test/a:nosuchtag"), "manifest unknown");
        assertEquals(DEFAULT_ONLY, names());
    }

    @Test
    void malformedReferenceIsRefused() {
        refused(capsa(null, "pull", "Busybox::1"), "invalid reference format");
        refused(capsa(null, "push", "a@sha256:12"), "invalid reference format");
    }

    @Test
    void registryDownIsRefused() {
        refused(capsa(null, "pull", "127.0.0.1:" + Tools.freePort() + "/test/a:1"), "connection refused");
        assertEquals(DEFAULT_ONLY, names());
    }

    /** One line, "Error: ..." with the expected words, on stderr; nothing on stdout; exit 125. */
    private static void refused(Result r, String expected) {
        assertEquals(125, r.code, r.toString());
        assertEquals("", r.out, r.toString());
        assertTrue(r.err.startsWith("Error: ") && r.err.indexOf('\n') == r.err.length() - 1 && r.err.contains(expected), r.toString());
    }

    private List<String> names() {
        try (Images images = new Images(new ImageStore(dataRoot), RegistryOptions.defaults())) {
            List<String> names = new ArrayList<>();
            for (ImageRecord record : images.list()) names.add(record.name());
            return names;
        }
    }

    private static String inspectDigest(String reference) {
        String json = Tools.skopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + reference);
        return json.strip();
    }

    private Result capsa(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(CAPSA.toString(), "--data-root", dataRoot.toString(), "--run-root", dataRoot.resolve("run").toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(tmp, "out", ""), err = Files.createTempFile(tmp, "err", ""), in = Files.createTempFile(tmp, "in", "");
            Files.writeString(in, stdin == null ? "" : stdin);
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("DOCKER_CONFIG", dockerConfig.toString());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(command + ": timed out");
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            for (Path f : List.of(out, err, in)) Files.delete(f);
            return r;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
