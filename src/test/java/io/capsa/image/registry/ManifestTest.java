package io.capsa.image.registry;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    private static Manifest parse(String json, String contentType) {
        return Manifest.parse(json.getBytes(StandardCharsets.UTF_8), DIGEST, contentType, "r");
    }

    @Test
    void theMediaTypeComesFromTheDocumentTheHeaderOrTheShape() {
        assertEquals(MediaTypes.DOCKER_MANIFEST, parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\"}", "").descriptor().mediaType());
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, parse("{\"schemaVersion\":2,\"manifests\":[]}", MediaTypes.DOCKER_MANIFEST_LIST).descriptor().mediaType());
        assertEquals(MediaTypes.OCI_INDEX, parse("{\"schemaVersion\":2,\"manifests\":[]}", "application/json").descriptor().mediaType());
        assertEquals(MediaTypes.OCI_MANIFEST, parse("{\"schemaVersion\":2,\"layers\":[]}", "").descriptor().mediaType());
    }

    @Test
    void readsDescriptorsWithPlatforms() {
        Manifest index = parse("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + DIGEST +
                "\",\"size\":7,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}}]}", "");
        Descriptor entry = index.entries().getFirst();
        assertEquals(new Descriptor(MediaTypes.OCI_MANIFEST, DIGEST, 7, new Platform("linux", "arm", "v7")), entry);
    }

    @Test
    void refusesWhatIsNoImage() {
        String schema1 = assertThrows(RegistryException.class, () -> parse("{\"schemaVersion\":1,\"fsLayers\":[]}", "")).getMessage();
        assertTrue(schema1.startsWith("r: a Docker schema 1 manifest"), schema1);
        assertEquals("r: media type application/vnd.example+json is not an image manifest or index",
                assertThrows(RegistryException.class, () -> parse("{\"mediaType\":\"application/vnd.example+json\"}", "")).getMessage());
        assertTrue(assertThrows(RegistryException.class, () -> parse("{not json", "")).getMessage().startsWith("r: malformed JSON"));
        Manifest badDigest = parse("{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:zz\",\"size\":1},\"layers\":[]}", "");
        assertEquals("r: config.digest: invalid digest \"sha256:zz\": sha256 needs 64 lowercase hex digits",
                assertThrows(RegistryException.class, badDigest::config).getMessage());
        Manifest noSize = parse("{\"schemaVersion\":2,\"layers\":[{\"digest\":\"" + DIGEST + "\"}]}", "");
        assertEquals("r: layers[0].size: is required", assertThrows(RegistryException.class, noSize::layers).getMessage());
    }
}
