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
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Pull and push against Debian's docker-registry without authentication; test images made by umoci and skopeo. */
class PlainRegistryIT {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static Path tmp;
    private static LocalRegistry registry;
    private static TestLayout layout;
    private static RegistryClient client;
    private static Digest bigLayer;

    @BeforeAll
    static void setUp() throws IOException {
        tmp = Files.createTempDirectory("capsa-registry-it");
        registry = new LocalRegistry(Files.createDirectory(tmp.resolve("registry")), "");
        Path files = Files.createDirectory(tmp.resolve("files"));
        Path hello = Files.writeString(files.resolve("hello.txt"), "hello\n");
        Path big = files.resolve("big.bin");
        byte[] random = new byte[1536 * 1024];
        new Random(11).nextBytes(random);
        Files.write(big, random);
        Path corrupt = Files.writeString(files.resolve("corrupt.txt"), "to be corrupted in the registry\n");

        layout = new TestLayout(tmp.resolve("layout")).image("a", hello, big).image("c", corrupt)
                .forArchitecture("a", "arm64", "b").forArchitecture("a", "arm", "armv6").forArchitecture("a", "arm", "armv7");
        layout.index("multi", "a", "linux/amd64", "b", "linux/arm64/v8", "armv6", "linux/arm/v6", "armv7", "linux/arm/v7");
        byte[] tar = tar(files, "hello.txt");
        byte[] zstd = compress(files, tar, "zstd");
        byte[] gzip = compress(files, tar, "gzip");
        String diffId = Digest.of(tar).toString();
        layout.handMade("zstd", "amd64", List.of(new Object[] {MediaTypes.OCI_LAYER_ZSTD, zstd, diffId}, new Object[] {MediaTypes.OCI_LAYER, tar, diffId}));
        layout.handMade("foreign", "amd64", List.of(new Object[] {MediaTypes.OCI_LAYER_GZIP, gzip, diffId},
                new Object[] {"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", gzip, diffId}));
        layout.push("zstd", registry.domain() + "/test/zstd:1");
        layout.push("foreign", registry.domain() + "/test/foreign:1");
        layout.push("a", registry.domain() + "/test/a:1");
        layout.push("a", registry.domain() + "/test/docker:1", "--format", "v2s2");
        layout.push("c", registry.domain() + "/test/corrupt:1");
        layout.push("multi", registry.domain() + "/test/multi:1", "--all");
        bigLayer = manifestLayers("test/a:1").get(1);
        client = new RegistryClient(RegistryOptions.defaults().withAuthConfig(tmp.resolve("docker/config.json")));
    }

    private static byte[] tar(Path dir, String name) throws IOException {
        Path out = dir.resolve(name + ".tar");
        Tools.run("tar", "-C", dir.toString(), "--owner=0", "--group=0", "-cf", out.toString(), name);
        return Files.readAllBytes(out);
    }

    private static byte[] compress(Path dir, byte[] tar, String tool) throws IOException {
        Path in = Files.write(dir.resolve("layer-for-" + tool), tar);
        Path out = dir.resolve("layer." + tool);
        Tools.run("sh", "-c", tool + " -c < \"$1\" > \"$2\"", "sh", in.toString(), out.toString());
        return Files.readAllBytes(out);
    }

    @AfterAll
    static void tearDown() {
        if (client != null) client.close();
        if (registry != null) registry.close();
        Tools.deleteTree(tmp);
    }

    private static Reference ref(String name) {
        return Reference.parse(registry.domain() + "/" + name);
    }

    private static DirStore store(String name) {
        return new DirStore(tmp.resolve("stores/" + name));
    }

    /** The digest skopeo reports for what the registry holds under a name. */
    private static Digest skopeoDigest(String name) {
        return Digest.parse(Tools.skopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + registry.domain() + "/" + name).strip());
    }

    /** Layer digests as skopeo reads the manifest. */
    private static List<Digest> manifestLayers(String name) {
        return Tools.lines(Tools.skopeo("inspect", "--tls-verify=false", "--format", "{{range .Layers}}{{.}}\n{{end}}",
                "docker://" + registry.domain() + "/" + name)).stream().map(Digest::parse).toList();
    }

    private static void assertSameBytes(Path expected, Path actual) throws IOException {
        assertEquals(-1L, Files.mismatch(expected, actual), actual + " differs from " + expected);
    }

    @Test
    void pullsAnOciImageThatSkopeoPushed() throws IOException {
        DirStore store = store("oci");
        Events events = new Events();
        PullResult result = client.pull(ref("test/a:1"), AMD64, store, events);

        assertEquals(skopeoDigest("test/a:1"), result.digest());
        assertEquals(layout.digest("a"), result.manifest().digest());
        assertEquals(MediaTypes.OCI_MANIFEST, result.manifest().mediaType());
        assertEquals(manifestLayers("test/a:1"), result.layers().stream().map(Descriptor::digest).toList());
        assertEquals(List.of(MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_GZIP), result.layers().stream().map(Descriptor::mediaType).toList());
        for (Descriptor blob : List.of(result.manifest(), result.config(), result.layers().get(0), result.layers().get(1)))
            assertSameBytes(layout.dir.resolve("blobs/sha256/" + blob.digest().hex()), store.path(blob.digest()));
        assertEquals(3, events.count("started"));
        assertEquals(3, events.count("done"));
        assertTrue(events.reported(bigLayer, result.layers().get(1).size()), "progress up to the last byte of the big layer");
    }

    @Test
    void pullsADockerSchema2Image() {
        DirStore store = store("docker");
        PullResult result = client.pull(ref("test/docker:1"), AMD64, store, ProgressListener.NONE);
        assertEquals(skopeoDigest("test/docker:1"), result.digest());
        assertEquals(MediaTypes.DOCKER_MANIFEST, result.manifest().mediaType());
        assertEquals(MediaTypes.DOCKER_CONFIG, result.config().mediaType());
        assertEquals(List.of(MediaTypes.DOCKER_LAYER, MediaTypes.DOCKER_LAYER), result.layers().stream().map(Descriptor::mediaType).toList());
        for (Descriptor layer : result.layers()) assertTrue(store.has(layer.digest()));
    }

    @Test
    void choosesThePlatformFromAnIndexAndVariantsMatter() throws IOException {
        String[][] cases = {
                {"linux/amd64", "a"}, {"linux/arm64", "b"}, {"linux/arm64/v8", "b"}, {"aarch64", "b"},
                {"linux/arm/v6", "armv6"}, {"linux/arm/v7", "armv7"}, {"linux/arm", "armv7"}, {"linux/armhf", "armv7"},
        };
        for (String[] c : cases) {
            RegistryClient.Resolved resolved = client.resolve(ref("test/multi:1"), Platform.parse(c[0]));
            assertEquals(layout.digest(c[1]), resolved.manifest().descriptor().digest(), c[0]);
            assertEquals(layout.digest("multi"), resolved.index().descriptor().digest());
        }
        DirStore store = store("multi");
        PullResult result = client.pull(ref("test/multi:1"), Platform.parse("linux/arm/v6"), store, ProgressListener.NONE);
        assertEquals(skopeoDigest("test/multi:1"), result.digest());
        assertTrue(store.has(layout.digest("multi")) && store.has(layout.digest("armv6")) && store.has(result.config().digest()));
        assertFalse(store.has(layout.digest("armv7")));
    }

    @Test
    void zstdLayersPassThroughAsTheyAre() {
        DirStore store = store("zstd");
        PullResult result = client.pull(ref("test/zstd:1"), AMD64, store, ProgressListener.NONE);
        assertEquals(MediaTypes.OCI_LAYER_ZSTD, result.layers().getFirst().mediaType());
        assertEquals(manifestLayers("test/zstd:1"), result.layers().stream().map(Descriptor::digest).toList());
        for (Descriptor layer : result.layers()) assertTrue(store.has(layer.digest()));
    }

    /** skopeo gzips a plain tar layer on its way up; capsa's push keeps it, and its pull takes it. */
    @Test
    void uncompressedLayersPassThroughBothWays() throws IOException {
        Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, layout.digest("zstd"), size("zstd"));
        client.push(ref("pushed/plain:1"), manifest, new DirStore(layout.dir), PushOptions.MONOLITHIC, ProgressListener.NONE);
        String raw = Tools.skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + registry.domain() + "/pushed/plain:1");
        assertTrue(raw.contains("\"" + MediaTypes.OCI_LAYER + "\"") && raw.contains(MediaTypes.OCI_LAYER_ZSTD), raw);
        // skopeo reads every blob back (checking digests); it gzips the tar layer for its OCI layout, so the manifest differs there
        Tools.skopeo("copy", "-q", "--src-tls-verify=false", "docker://" + registry.domain() + "/pushed/plain:1", "oci:" + tmp.resolve("back-plain") + ":x");
        PullResult result = client.pull(ref("pushed/plain:1"), AMD64, store("plain"), ProgressListener.NONE);
        assertEquals(List.of(MediaTypes.OCI_LAYER_ZSTD, MediaTypes.OCI_LAYER), result.layers().stream().map(Descriptor::mediaType).toList());
    }

    @Test
    void refusesNonDistributableLayersBeforeFetchingAnything() throws IOException {
        DirStore store = store("foreign");
        RegistryException e = assertThrows(RegistryException.class, () -> client.pull(ref("test/foreign:1"), AMD64, store, ProgressListener.NONE));
        Digest layer = manifestLayers("test/foreign:1").get(1);
        assertEquals(registry.domain() + "/test/foreign:1: layer " + layer + " is a foreign (non-distributable) layer " +
                "(application/vnd.oci.image.layer.nondistributable.v1.tar+gzip), which capsa does not pull", e.getMessage());
        assertTrue(store.files().isEmpty(), store.files().toString());
    }

    @Test
    void pullsByDigestAndADigestWinsOverATag() throws IOException {
        Digest digest = layout.digest("a");
        assertEquals(digest, client.pull(ref("test/a@" + digest), AMD64, store("by-digest"), ProgressListener.NONE).digest());
        assertEquals(digest, client.pull(ref("test/a:nope@" + digest), AMD64, store("by-digest"), ProgressListener.NONE).digest());
        String absent = "sha256:" + "0".repeat(64);
        assertEquals(registry.domain() + "/test/a@" + absent + ": manifest unknown", assertThrows(RegistryException.class,
                () -> client.pull(ref("test/a@" + absent), AMD64, store("by-digest"), ProgressListener.NONE)).getMessage());
    }

    @Test
    void refusesAnIndexWithoutThePlatform() {
        RegistryException e = assertThrows(RegistryException.class,
                () -> client.pull(ref("test/multi:1"), Platform.parse("linux/s390x"), store("s390x"), ProgressListener.NONE));
        assertEquals("no image for linux/s390x in " + registry.domain() + "/test/multi:1; it has linux/amd64, linux/arm64/v8, linux/arm/v6, linux/arm/v7",
                e.getMessage());
    }

    @Test
    void blobsTheStoreHasAreNotFetchedAgain() throws IOException {
        DirStore store = store("again");
        client.pull(ref("test/a:1"), AMD64, store, ProgressListener.NONE);
        Events again = new Events();
        client.pull(ref("test/a:1"), AMD64, store, again);
        assertEquals(0, again.count("started"));
        assertEquals(3, again.count("skipped"));

        Files.delete(store.path(bigLayer));
        Events one = new Events();
        client.pull(ref("test/a:1"), AMD64, store, one);
        assertEquals(List.of("started " + bigLayer, "done " + bigLayer), one.lines.stream().filter(l -> !l.startsWith("skipped")).toList());
    }

    @Test
    void aBlobWhoseBytesDoNotMatchItsDigestIsRefusedAndNotKept() throws IOException {
        Digest layer = manifestLayers("test/corrupt:1").getFirst();
        Path data = registry.blobData(layer.toString());
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 1;
        Files.write(data, bytes);
        for (boolean exactReads : new boolean[] {false, true}) {
            DirStore store = new DirStore(tmp.resolve("stores/corrupt-" + exactReads), exactReads);
            RegistryException e = assertThrows(RegistryException.class, () -> client.pull(ref("test/corrupt:1"), AMD64, store, ProgressListener.NONE));
            assertTrue(e.getMessage().startsWith("blob " + layer + " from " + registry.domain() + "/test/corrupt does not match its digest: its content is sha256:"),
                    e.getMessage());
            assertFalse(store.has(layer));
            assertTrue(store.files().stream().noneMatch(f -> f.endsWith(".tmp")), "no partial file: " + store.files());
        }
    }

    @Test
    void anInterruptedDownloadGoesOnWhereItStopped() throws IOException {
        try (FaultProxy proxy = FaultProxy.cutting(registry.port, 512 * 1024, 1)) {
            DirStore store = store("resumed");
            PullResult result = client.pull(Reference.parse(proxy.domain() + "/test/a:1"), AMD64, store, ProgressListener.NONE);
            assertEquals(1, proxy.cuts());
            assertSameBytes(layout.dir.resolve("blobs/sha256/" + bigLayer.hex()), store.path(bigLayer));
            assertEquals(bigLayer, result.layers().get(1).digest());
        }
    }

    @Test
    void aDownloadThatKeepsBreakingFailsAndLeavesNoPartialBlob() throws IOException {
        try (FaultProxy proxy = FaultProxy.cutting(registry.port, 256 * 1024, 1000)) {
            DirStore store = store("broken");
            RegistryException e = assertThrows(RegistryException.class,
                    () -> client.pull(Reference.parse(proxy.domain() + "/test/a:1"), AMD64, store, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("broke off after"), e.getMessage());
            assertFalse(store.has(bigLayer));
            assertTrue(store.files().stream().noneMatch(f -> f.endsWith(".tmp")), "no partial file: " + store.files());
        }
    }

    @Test
    void unknownTagsRepositoriesAndDeadRegistriesAreOneClearLine() throws IOException {
        assertEquals(registry.domain() + "/test/a:nope: manifest unknown", assertThrows(RegistryException.class,
                () -> client.pull(ref("test/a:nope"), AMD64, store("x"), ProgressListener.NONE)).getMessage());
        // docker-registry 2.8 says "manifest unknown" for a repository it does not have, too
        assertEquals(registry.domain() + "/test/none:1: manifest unknown", assertThrows(RegistryException.class,
                () -> client.pull(ref("test/none:1"), AMD64, store("x"), ProgressListener.NONE)).getMessage());
        int dead = Tools.freePort();
        assertEquals("cannot reach registry 127.0.0.1:" + dead + " (http://127.0.0.1:" + dead + "): connection refused",
                assertThrows(RegistryException.class, () -> client.pull(Reference.parse("127.0.0.1:" + dead + "/x:1"), AMD64,
                        store("x"), ProgressListener.NONE)).getMessage());
        try (FaultProxy failing = FaultProxy.failing()) {
            assertEquals(failing.domain() + "/x:1: registry " + failing.domain() + " answered 500: unknown error",
                    assertThrows(RegistryException.class, () -> client.pull(Reference.parse(failing.domain() + "/x:1"), AMD64,
                            store("x"), ProgressListener.NONE)).getMessage());
        }
        assertTrue(store("x").files().isEmpty());
    }

    @Test
    void aRegistryThatIsNotLoopbackNorInsecureGetsTlsWithoutFallback() {
        // a name is not taken for the loopback (only localhost is): https, and no http after it fails
        Reference named = Reference.parse("capsa-test.invalid:" + registry.port + "/test/a:1");
        RegistryException e = assertThrows(RegistryException.class, () -> client.resolve(named, AMD64));
        assertEquals("cannot reach registry capsa-test.invalid:" + registry.port + " (https://capsa-test.invalid:" + registry.port + "): unknown host",
                e.getMessage());
    }

    /** Needs a host name other than localhost that resolves to 127.0.0.1 (the machine's own name usually does). */
    @Test
    void tlsIsVerifiedAndNeverFallsBackToHttp() throws IOException {
        String host = InetAddress.getLocalHost().getHostName();
        assumeTrue(!host.equals("localhost") && InetAddress.getByName(host).getHostAddress().equals("127.0.0.1"), host + " is not 127.0.0.1");
        try (LocalRegistry tls = new LocalRegistry(Files.createDirectory(tmp.resolve("tls")), "", host)) {
            String domain = host + ":" + tls.port;
            RegistryException e = assertThrows(RegistryException.class, () -> client.resolve(Reference.parse(domain + "/test/a:1"), AMD64));
            assertEquals("TLS with registry " + domain + " (https://" + domain + ") failed: its certificate is not signed by an authority this machine trusts",
                    e.getMessage());
        }
    }

    @Test
    void pushesWhatSkopeoReads() throws IOException {
        Events events = new Events();
        Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, layout.digest("a"), size("a"));
        Digest digest = client.push(ref("pushed/mono:1"), manifest, new DirStore(layout.dir), PushOptions.MONOLITHIC, events);
        assertEquals(layout.digest("a"), digest);
        assertEquals(digest, skopeoDigest("pushed/mono:1"));
        assertEquals(3, events.count("done"));
        copiedBackBySkopeo("pushed/mono:1", digest);

        Events again = new Events();
        client.push(ref("pushed/mono:2"), manifest, new DirStore(layout.dir), PushOptions.MONOLITHIC, again);
        assertEquals(0, again.count("started"), "blobs the registry has are not sent again: " + again.lines);
    }

    @Test
    void pushesInChunks() throws IOException {
        Events events = new Events();
        Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, layout.digest("a"), size("a"));
        Digest digest = client.push(ref("pushed/chunked:1"), manifest, new DirStore(layout.dir), new PushOptions(100 * 1024, null), events);
        assertEquals(digest, skopeoDigest("pushed/chunked:1"));
        assertTrue(events.reported(bigLayer, 100 * 1024) && events.reported(bigLayer, 200 * 1024), "chunk by chunk");
        copiedBackBySkopeo("pushed/chunked:1", digest);
    }

    @Test
    void mountsBlobsFromAnotherRepository() throws IOException {
        Events events = new Events();
        Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, layout.digest("a"), size("a"));
        Digest digest = client.push(ref("pushed/mounted:1"), manifest, new DirStore(layout.dir), new PushOptions(0, "test/a"), events);
        assertEquals(3, events.count("mounted"), events.lines.toString());
        assertEquals(0, events.count("started"));
        copiedBackBySkopeo("pushed/mounted:1", digest);
    }

    @Test
    void pushesAnIndexWithItsImages() throws IOException {
        Descriptor index = new Descriptor(MediaTypes.OCI_INDEX, layout.digest("multi"), size("multi"));
        Digest digest = client.push(ref("pushed/multi:1"), index, new DirStore(layout.dir), PushOptions.MONOLITHIC, ProgressListener.NONE);
        assertEquals(layout.digest("multi"), digest);
        assertEquals(digest, skopeoDigest("pushed/multi:1"));
        Path back = tmp.resolve("back-multi");
        Tools.skopeo("copy", "-q", "--all", "--src-tls-verify=false", "docker://" + registry.domain() + "/pushed/multi:1", "oci:" + back + ":m");
        for (String tag : List.of("a", "b", "armv6", "armv7"))
            assertTrue(Files.exists(back.resolve("blobs/sha256/" + layout.digest(tag).hex())), tag);
    }

    private static long size(String tag) throws IOException {
        return ((Number) layout.manifestEntry(tag).get("size")).longValue();
    }

    /** skopeo copies the image back into an OCI layout, checking every digest on the way. */
    private static void copiedBackBySkopeo(String name, Digest digest) {
        Path back = tmp.resolve("back-" + name.replace('/', '-').replace(':', '-'));
        Tools.skopeo("copy", "-q", "--src-tls-verify=false", "docker://" + registry.domain() + "/" + name, "oci:" + back + ":x");
        assertTrue(Files.exists(back.resolve("blobs/sha256/" + digest.hex())));
    }

    @Test
    void insecureRegistriesAreNamedByTheUser() {
        assertEquals("http://10.0.0.1:5000", Endpoint.of("10.0.0.1:5000", Set.of("10.0.0.1:5000")).base().toString());
        assertEquals("https://10.0.0.1:5000", Endpoint.of("10.0.0.1:5000", Set.of()).base().toString());
        assertEquals("http://127.1.2.3:5000", Endpoint.of("127.1.2.3:5000", Set.of()).base().toString());
        assertEquals("http://[::1]:5000", Endpoint.of("[::1]:5000", Set.of()).base().toString());
        assertEquals("https://registry-1.docker.io", Endpoint.of("docker.io", Set.of()).base().toString());
    }
}
