package io.capsa.image;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestsTest {
    private static final String A = "sha256:" + "a".repeat(64), B = "sha256:" + "b".repeat(64), C = "sha256:" + "c".repeat(64);

    @Test
    void dockerSchema2Manifest() {
        Manifest m = Manifests.manifest(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG + "\",\"size\":7,\"digest\":\"" + A + "\"},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.DOCKER_LAYER + "\",\"size\":9,\"digest\":\"" + B + "\"}]}").getBytes(), "m");
        assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
        assertEquals(Digest.parse(A), m.config().digest());
        assertEquals(List.of(new Descriptor(MediaTypes.DOCKER_LAYER, Digest.parse(B), 9)), m.layers());
    }

    @Test
    void indexSelectsThePlatform() {
        ImageIndex index = Manifests.index(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST_LIST + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"size\":1,\"digest\":\"" + A + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"size\":1,\"digest\":\"" + B + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}},"
                + "{\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"size\":1,\"digest\":\"" + C + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v6\"}}"
                + "]}").getBytes(), "i");
        assertEquals(Digest.parse(A), index.select(Platform.parse("linux/amd64"), "i").digest());
        assertEquals(Digest.parse(C), index.select(Platform.parse("linux/arm/v6"), "i").digest());
        assertEquals(Digest.parse(B), index.select(Platform.parse("linux/arm"), "i").digest(), "arm's baseline is v7");
        assertEquals("no image for linux/s390x in i; it has linux/amd64, linux/arm/v7, linux/arm/v6",
                assertThrows(ImageException.class, () -> index.select(Platform.parse("linux/s390x"), "i")).getMessage());
    }

    @Test
    void configGivesWhatAContainerRunsWith() {
        ImageConfig c = Manifests.config(("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"],"
                + "\"Cmd\":[\"sh\"],\"WorkingDir\":\"/w\",\"User\":\"1:2\",\"Labels\":{\"k\":\"v\"},\"ExposedPorts\":{\"80/tcp\":{}}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + A + "\",\"" + B + "\"]}}").getBytes(), "c");
        assertEquals(List.of("PATH=/bin"), c.env());
        assertEquals(List.of("sh"), c.cmd());
        assertEquals("1:2", c.user());
        assertEquals("v", c.labels().get("k"));
        assertEquals(List.of("80/tcp"), c.exposedPorts());
        assertEquals(List.of(Digest.parse(A), Digest.parse(B)), c.diffIds());
    }

    @Test
    void errorsNameTheDocumentAndField() {
        assertEquals("manifest x: layers[0].digest: invalid digest \"md5:00\": unsupported digest algorithm \"md5\"", assertThrows(ImageException.class,
                () -> Manifests.manifest(("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"t\",\"size\":1,\"digest\":\"" + A
                        + "\"},\"layers\":[{\"mediaType\":\"t\",\"size\":1,\"digest\":\"md5:00\"}]}").getBytes(), "manifest x")).getMessage());
        assertEquals("manifest x: config.size: is required", assertThrows(ImageException.class,
                () -> Manifests.manifest(("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"t\",\"digest\":\"" + A + "\"}}").getBytes(),
                        "manifest x")).getMessage());
        assertThrows(ImageException.class, () -> Manifests.manifest("[1]".getBytes(), "manifest x"));
        assertThrows(ImageException.class, () -> Manifests.manifest("{".getBytes(), "manifest x"));
    }

    @Test
    void theMediaTypeComesFromTheDocumentTheContentTypeOrTheShape() {
        assertEquals(MediaTypes.DOCKER_MANIFEST, Manifests.mediaType(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\"}").getBytes(), null, "r"));
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, Manifests.mediaType("{\"schemaVersion\":2,\"manifests\":[]}".getBytes(), MediaTypes.DOCKER_MANIFEST_LIST, "r"));
        assertEquals(MediaTypes.OCI_INDEX, Manifests.mediaType("{\"schemaVersion\":2,\"manifests\":[]}".getBytes(), "application/json", "r"));
        assertEquals(MediaTypes.OCI_MANIFEST, Manifests.mediaType("{\"schemaVersion\":2,\"layers\":[]}".getBytes(), null, "r"));
    }

    @Test
    void refusesWhatIsNoImage() {
        String schema1 = assertThrows(ImageException.class, () -> Manifests.mediaType("{\"schemaVersion\":1,\"fsLayers\":[]}".getBytes(), null, "r")).getMessage();
        assertTrue(schema1.startsWith("r: a Docker schema 1 manifest"), schema1);
        assertEquals("r: media type application/vnd.example+json is not an image manifest or index", assertThrows(ImageException.class,
                () -> Manifests.mediaType("{\"mediaType\":\"application/vnd.example+json\"}".getBytes(), null, "r")).getMessage());
        assertTrue(assertThrows(ImageException.class, () -> Manifests.mediaType("{not json".getBytes(), null, "r")).getMessage().startsWith("r: malformed JSON"));
    }

    @Test
    void digestsOfThreeAlgorithms() {
        assertEquals(A, Digest.parse(A).toString());
        assertEquals("sha512:" + "0".repeat(128), Digest.parse("sha512:" + "0".repeat(128)).toString());
        assertEquals("invalid digest \"sha512:" + "0".repeat(64) + "\": sha512 needs 128 lowercase hex digits",
                assertThrows(ImageException.class, () -> Digest.parse("sha512:" + "0".repeat(64))).getMessage());
        assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Digest.of("hello".getBytes()).toString());
        Digest sha512 = Digest.parse("sha512:" + "0".repeat(128));
        assertEquals(128, sha512.ofContent("hello".getBytes()).hex().length());
    }
}
