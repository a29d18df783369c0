package io.capsa.image.registry;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.MediaTypes;
import io.capsa.image.Platform;
import io.capsa.image.reference.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-registry with htpasswd (bcrypt) basic auth: login, logout, and credentials from Docker's config.json. */
class BasicAuthIT {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static Path tmp;
    private static LocalRegistry registry;
    private static TestLayout layout;
    private Path config;

    @BeforeAll
    static void setUp() throws IOException {
        tmp = Files.createTempDirectory("capsa-basic-auth-it");
        Path htpasswd = Files.writeString(tmp.resolve("htpasswd"), Tools.run("htpasswd", "-Bbn", "alice", "s3cret"));
        registry = new LocalRegistry(Files.createDirectory(tmp.resolve("registry")), """
                auth:
                  htpasswd:
                    realm: capsa-test
                    path: %s
                """.formatted(htpasswd));
        layout = new TestLayout(tmp.resolve("layout")).image("a", Files.writeString(tmp.resolve("hello.txt"), "hello\n"));
        layout.push("a", registry.domain() + "/test/a:1", "--dest-creds", "alice:s3cret");
    }

    @AfterAll
    static void tearDown() {
        if (registry != null) registry.close();
        Tools.deleteTree(tmp);
    }

    @AfterEach
    void removeConfig() throws IOException {
        if (config != null) Tools.deleteTree(config.getParent());
    }

    private RegistryClient client() throws IOException {
        if (config == null) config = Files.createTempDirectory(tmp, "docker").resolve("config.json");
        return new RegistryClient(RegistryOptions.defaults().withAuthConfig(config));
    }

    private static Reference image() {
        return Reference.parse(registry.domain() + "/test/a:1");
    }

    private static DirStore store() throws IOException {
        return new DirStore(Files.createTempDirectory(tmp, "store"));
    }

    @Test
    void withoutCredentialsAPullIsRefused() throws IOException {
        try (RegistryClient client = client()) {
            RegistryException e = assertThrows(RegistryException.class, () -> client.pull(image(), AMD64, store(), ProgressListener.NONE));
            assertEquals(registry.domain() + ": authentication required, and no credentials are stored for it (log in first)", e.getMessage());
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtLoginAndNothingIsStored() throws IOException {
        try (RegistryClient client = client()) {
            RegistryException e = assertThrows(RegistryException.class, () -> client.login(registry.domain(), new Credentials("alice", "wrong")));
            assertEquals("login to " + registry.domain() + ": unauthorized: authentication required (credentials of alice refused)", e.getMessage());
            assertFalse(Files.exists(config));
        }
    }

    @Test
    void loginStoresCredentialsPrivatelyAndLogoutForgetsThem() throws IOException {
        try (RegistryClient client = client()) {
            client.login(registry.domain(), new Credentials("alice", "s3cret"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
            String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes());
            assertTrue(Files.readString(config).contains("\"" + auth + "\""), Files.readString(config));
            assertEquals(layout.digest("a"), client.pull(image(), AMD64, store(), ProgressListener.NONE).digest());
            // skopeo reads the same file
            Tools.skopeo("inspect", "--tls-verify=false", "--authfile", config.toString(), "docker://" + image());

            assertTrue(client.logout(registry.domain()));
            assertFalse(client.logout(registry.domain()));
            assertFalse(Files.readString(config).contains(auth));
            assertThrows(RegistryException.class, () -> client.pull(image(), AMD64, store(), ProgressListener.NONE));
        }
    }

    @Test
    void usesAConfigDockerWroteAndKeepsItsOtherSettings() throws IOException {
        client().close();
        Files.createDirectories(config.getParent());
        String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes());
        Files.writeString(config, "{\n\t\"auths\": {\n\t\t\"http://" + registry.domain() + "/v2/\": {\n\t\t\t\"auth\": \"" + auth +
                "\"\n\t\t}\n\t},\n\t\"HttpHeaders\": {\"User-Agent\": \"Docker-Client/20.10.24 (linux)\"}\n}\n");
        try (RegistryClient client = client()) {
            PullResult pulled = client.pull(image(), AMD64, store(), ProgressListener.NONE);
            assertEquals(layout.digest("a"), pulled.digest());
            Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, pulled.manifest().digest(), pulled.manifest().size());
            client.push(Reference.parse(registry.domain() + "/test/copy:1"), manifest, new DirStore(layout.dir), PushOptions.MONOLITHIC, ProgressListener.NONE);
            Tools.skopeo("inspect", "--tls-verify=false", "--creds", "alice:s3cret", "docker://" + registry.domain() + "/test/copy:1");

            client.login(registry.domain(), new Credentials("alice", "s3cret"));
            String text = Files.readString(config);
            assertTrue(text.contains("Docker-Client/20.10.24"), text);
            assertEquals(1, text.split(auth, -1).length - 1, "one entry for the registry: " + text);
        }
    }

    @Test
    void theAuthorizationHeaderDoesNotFollowARedirectToAnotherHost() throws IOException {
        try (RedirectingFront front = new RedirectingFront(registry); RegistryClient client = client()) {
            client.login(front.domain(), new Credentials("alice", "s3cret"));
            PullResult result = client.pull(Reference.parse(front.domain() + "/test/a:1"), AMD64, store(), ProgressListener.NONE);
            assertEquals(layout.digest("a"), result.digest());
            assertEquals(List.of("none", "none"), front.storageAuthorization, "config and layer fetched from the other host without credentials");
        }
    }
}
