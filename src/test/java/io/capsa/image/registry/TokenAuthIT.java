package io.capsa.image.registry;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.MediaTypes;
import io.capsa.image.Platform;
import io.capsa.image.reference.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-registry with token auth and a token endpoint the test serves: the flow every Docker Hub pull uses. */
class TokenAuthIT {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static Path tmp;
    private static TokenServer tokens;
    private static LocalRegistry registry;
    private static TestLayout layout;

    @BeforeAll
    static void setUp() throws Exception {
        tmp = Files.createTempDirectory("capsa-token-auth-it");
        tokens = new TokenServer(tmp, "bob", "hunter2");
        registry = new LocalRegistry(Files.createDirectory(tmp.resolve("registry")), tokens.registryAuth());
        Path files = Files.createDirectory(tmp.resolve("files"));
        layout = new TestLayout(tmp.resolve("layout")).image("a", Files.writeString(files.resolve("one.txt"), "1\n"),
                Files.writeString(files.resolve("two.txt"), "2\n"));
        layout.push("a", registry.domain() + "/test/a:1", "--dest-creds", "bob:hunter2");
    }

    @AfterAll
    static void tearDown() {
        if (registry != null) registry.close();
        if (tokens != null) tokens.close();
        Tools.deleteTree(tmp);
    }

    private static RegistryClient client() throws IOException {
        return new RegistryClient(RegistryOptions.defaults().withAuthConfig(Files.createTempDirectory(tmp, "docker").resolve("config.json")));
    }

    private static Reference ref(String name) {
        return Reference.parse(registry.domain() + "/" + name);
    }

    private static DirStore store() throws IOException {
        return new DirStore(Files.createTempDirectory(tmp, "store"));
    }

    @Test
    void anAnonymousPullGetsOneTokenForItsScope() throws IOException {
        try (RegistryClient client = client()) {
            int before = tokens.requests.get();
            PullResult result = client.pull(ref("test/a:1"), AMD64, store(), ProgressListener.NONE);
            assertEquals(layout.digest("a"), result.digest());
            assertEquals(3, result.layers().size() + 1);
            assertEquals(1, tokens.requests.get() - before, "manifest, config and two layers with one cached token");
        }
    }

    @Test
    void theOAuthFormOfTheAnswerWorksToo() throws IOException {
        tokens.oauthField = true;
        try (RegistryClient client = client()) {
            assertEquals(layout.digest("a"), client.pull(ref("test/a:1"), AMD64, store(), ProgressListener.NONE).digest());
        } finally {
            tokens.oauthField = false;
        }
    }

    @Test
    void pushNeedsCredentialsWhichLoginChecks() throws IOException {
        Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, layout.digest("a"), ((Number) layout.manifestEntry("a").get("size")).longValue());
        try (RegistryClient client = client()) {
            RegistryException anonymous = assertThrows(RegistryException.class,
                    () -> client.push(ref("pushed/a:1"), manifest, new DirStore(layout.dir), PushOptions.MONOLITHIC, ProgressListener.NONE));
            assertTrue(anonymous.getMessage().contains(": unauthorized: authentication required (no credentials are stored for it)"), anonymous.getMessage());

            RegistryException wrong = assertThrows(RegistryException.class, () -> client.login(registry.domain(), new Credentials("bob", "nope")));
            assertEquals(registry.domain() + ": unauthorized: incorrect username or password (credentials of bob refused)", wrong.getMessage());

            client.login(registry.domain(), new Credentials("bob", "hunter2"));
            Digest digest = client.push(ref("pushed/a:1"), manifest, new DirStore(layout.dir), new PushOptions(0, "test/a"), ProgressListener.NONE);
            assertEquals(digest.toString(), Tools.skopeo("inspect", "--tls-verify=false", "--creds", "bob:hunter2", "--format", "{{.Digest}}",
                    "docker://" + registry.domain() + "/pushed/a:1").strip());
        }
    }
}
