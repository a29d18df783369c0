package io.capsa.image;

import io.capsa.image.store.ChainIds;
import io.capsa.image.store.FileTrees;
import io.capsa.image.store.GarbageCollector;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Lease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageStoreTest {
    private Path dir;
    private ImageStore store;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("capsa-store-");
        store = new ImageStore(dir);
    }

    @AfterEach
    void tearDown() throws IOException {
        FileTrees.delete(dir);
    }

    @Test
    void blobWithAnotherDigestRefusedNamedAndNotKept() throws IOException {
        byte[] content = "the real content".getBytes();
        Digest claimed = Digest.of("something else".getBytes());
        ImageException e = assertThrows(ImageException.class,
                () -> store.blobs().ingest(new ByteArrayInputStream(content), claimed, content.length));
        assertEquals("blob " + claimed + ": digest mismatch: the content is " + Digest.of(content), e.getMessage());
        assertFalse(store.blobs().has(claimed));
        assertEquals(List.of(), list(store.root().blobs()));
        assertEquals(0, store.blobs().partialSize(claimed), "the partial ingest is removed");
    }

    @Test
    void blobOfAnotherSizeRefused() {
        byte[] content = "0123456789".getBytes();
        Digest digest = Digest.of(content);
        assertEquals("blob " + digest + ": size mismatch: more than the expected 5 bytes", assertThrows(ImageException.class,
                () -> store.blobs().ingest(new ByteArrayInputStream(content), digest, 5)).getMessage());
        assertEquals("blob " + digest + ": size mismatch: expected 20 bytes, got 10 (kept, to resume)", assertThrows(ImageException.class,
                () -> store.blobs().ingest(new ByteArrayInputStream(content), digest, 20)).getMessage());
        assertFalse(store.blobs().has(digest));
    }

    /** A download cut off midway keeps what it got; the next ingest goes on from there, and the blob is whole. */
    @Test
    void interruptedIngestResumes() {
        byte[] content = new byte[200_000];
        new java.util.Random(3).nextBytes(content);
        Digest digest = Digest.of(content);
        InputStream cutOff = new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                if (pos == 150_000) throw new IOException("connection reset");
                return content[pos++] & 0xff;
            }
        };
        assertEquals("blob " + digest + ": connection reset", assertThrows(ImageException.class,
                () -> store.blobs().ingest(cutOff, digest, content.length)).getMessage());
        assertFalse(store.blobs().has(digest));
        assertEquals(150_000, store.blobs().partialSize(digest));
        assertEquals("blob " + digest + ": cannot resume at byte 100: 150000 bytes are kept", assertThrows(ImageException.class,
                () -> store.blobs().ingest(new ByteArrayInputStream(content), digest, content.length, 100)).getMessage());
        store.blobs().ingest(new ByteArrayInputStream(content, 150_000, 50_000), digest, content.length, 150_000);
        assertEquals(digest, Digest.of(store.blobs().read(digest)));
        assertEquals(0, store.blobs().partialSize(digest));
    }

    /** A resumed ingest whose kept part is wrong (another blob's bytes) is refused as a whole, and nothing kept. */
    @Test
    void resumedIngestVerifiesTheKeptBytesToo() throws IOException {
        byte[] content = "0123456789".getBytes();
        Digest digest = Digest.of(content);
        Files.write(store.root().tmp().resolve("ingest-" + digest.hex()), "ABCDE".getBytes());
        assertEquals("blob " + digest + ": digest mismatch: the content is " + Digest.of("ABCDE56789".getBytes()),
                assertThrows(ImageException.class, () -> store.blobs().ingest(new ByteArrayInputStream(content, 5, 5),
                        digest, 10, 5)).getMessage());
        assertEquals(0, store.blobs().partialSize(digest));
    }

    @Test
    void presentBlobNeverReadAgain() {
        Digest digest = store.blobs().put("once".getBytes());
        InputStream exploding = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read again");
            }
        };
        assertEquals(store.blobs().path(digest), store.blobs().ingest(exploding, digest, 4));
        assertEquals("once", new String(store.blobs().read(digest)));
    }

    @Test
    void concurrentIngestsOfOneBlobAllSucceed() throws Exception {
        byte[] content = new byte[3 << 20];
        new java.util.Random(7).nextBytes(content);
        Digest digest = Digest.of(content);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++)
                results.add(pool.submit(() -> store.blobs().ingest(new ByteArrayInputStream(content), digest, content.length)));
            for (Future<Path> f : results) assertEquals(store.blobs().path(digest), f.get());
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of(digest.hex()), list(store.root().blobs()));
        assertEquals(0, store.blobs().partialSize(digest));
        assertEquals(digest, Digest.of(Files.readAllBytes(store.blobs().path(digest))));
    }

    @Test
    void recordsPutGetRemoveAndConcurrentWritersLoseNothing() throws Exception {
        Digest m = Digest.of("m".getBytes());
        assertTrue(store.images().put("docker.io/library/busybox:latest", m, MediaTypes.OCI_MANIFEST).isEmpty());
        ImageRecord r = store.images().get("docker.io/library/busybox:latest").orElseThrow();
        assertEquals(m, r.target());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String name = "example.com/img:" + i;
                puts.add(pool.submit(() -> store.images().put(name, m, MediaTypes.OCI_MANIFEST)));
            }
            for (Future<?> f : puts) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(31, store.images().list().size());
        assertEquals(m, store.images().remove("docker.io/library/busybox:latest").orElseThrow().target());
        assertTrue(store.images().get("docker.io/library/busybox:latest").isEmpty());
        assertEquals(30, new ImageStore(dir).images().list().size(), "another store on the root reads the same file");
    }

    private Digest image(List<byte[]> tars, List<Digest> diffIds, String layerType) {
        return TestImages.store(store, tars, diffIds, layerType);
    }

    @Test
    void layerWhoseDiffIdDiffersRefusedNamedAndDiscarded() throws IOException {
        byte[] tar = new TestTar().file("f", "x").bytes();
        Digest wrong = Digest.of("not the tar".getBytes());
        Digest manifest = image(List.of(tar), List.of(wrong), MediaTypes.OCI_LAYER);
        ImageException e = assertThrows(ImageException.class, () -> store.unpack(manifest));
        assertEquals("layer " + Digest.of(tar) + ": diffID mismatch: the config says " + wrong + ", the layer is "
                + Digest.of(tar), e.getMessage());
        assertEquals(List.of(), list(store.root().layers()));
        assertEquals(List.of(), list(store.root().tmp()));
    }

    @Test
    void storedIndexLeadsToThePlatformsManifest() {
        byte[] tar = new TestTar().file("f", "x").bytes();
        Digest manifest = image(List.of(tar), List.of(Digest.of(tar)), MediaTypes.OCI_LAYER);
        Digest index = store.blobs().put(("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"digest\":\"" + manifest + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}").getBytes());
        assertEquals(manifest, store.manifestFor(index, Platform.parse("linux/amd64")));
        assertEquals(manifest, store.manifestFor(manifest, Platform.parse("linux/arm64")), "a manifest is its own");
        store.images().put("localhost/multi:1", index, MediaTypes.OCI_INDEX);
        assertEquals(List.of(), store.collectGarbage(List.of()).blobs(), "an index keeps its manifests");
    }

    @Test
    void foreignLayerRefused() {
        byte[] tar = new TestTar().file("f", "x").bytes();
        Digest manifest = image(List.of(tar), List.of(Digest.of(tar)), MediaTypes.DOCKER_FOREIGN_LAYER);
        assertEquals("manifest " + manifest + ": layer " + Digest.of(tar) + " is a foreign (non-distributable) layer ("
                + MediaTypes.DOCKER_FOREIGN_LAYER + "), which capsa does not pull", assertThrows(ImageException.class, () -> store.unpack(manifest)).getMessage());
    }

    /** Many unpacks of one image at once (two pulls, a pull and a run): every one succeeds, each layer is made once. */
    @Test
    void racingUnpacksAllSucceed() throws Exception {
        List<byte[]> tars = List.of(new TestTar().dir("d", 0755).file("d/a", "a").bytes(),
                new TestTar().file("d/.wh.a", "").file("d/b", "b").bytes());
        Digest manifest = image(tars, List.of(Digest.of(tars.get(0)), Digest.of(tars.get(1))), MediaTypes.OCI_LAYER);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> unpacks = new ArrayList<>();
            for (int i = 0; i < 6; i++) unpacks.add(pool.submit(() -> store.unpack(manifest)));
            for (Future<?> f : unpacks) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(2, list(store.root().layers()).size());
        assertEquals(List.of(), list(store.root().tmp()));
        assertEquals("b", Files.readString(store.layers(manifest).getLast().dir().resolve("d/b")));
    }

    @Test
    void garbageCollectorRemovesOrphansKeepsWhatRecordsReach() throws IOException {
        byte[] layerTar = new TestTar().file("hello", "world").bytes();
        Digest layer = store.blobs().put(layerTar);
        Digest config = store.blobs().put(("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + layer + "\"]}}").getBytes());
        Digest manifest = store.blobs().put(("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + config + "\",\"size\":1},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER + "\",\"digest\":\"" + layer + "\",\"size\":"
                + layerTar.length + "}]}").getBytes());
        store.images().put("localhost/test:1", manifest, MediaTypes.OCI_MANIFEST);
        assertEquals("world", Files.readString(store.unpack(manifest).getFirst().dir().resolve("hello")));
        Digest orphan = store.blobs().put("orphan".getBytes());
        Files.createDirectories(store.root().layers().resolve(Digest.of("x".getBytes()).hex()).resolve("etc"));
        Files.writeString(store.root().tmp().resolve("ingest-crashed"), "partial");
        Files.createDirectories(store.root().tmp().resolve("layer-crashed/usr"));

        GarbageCollector.Result result = store.collectGarbage(List.of());
        assertEquals(List.of(orphan), result.blobs());
        assertEquals(List.of(Digest.of("x".getBytes())), result.layers());
        assertEquals(2, result.temporaries());
        assertTrue(store.blobs().has(manifest) && store.blobs().has(config) && store.blobs().has(layer));
        assertTrue(store.layers().has(ChainIds.of(List.of(layer)).getFirst()));
        assertEquals(List.of(), list(store.root().tmp()));

        store.images().remove("localhost/test:1");
        assertEquals(List.of(), store.collectGarbage(List.of(manifest)).blobs(), "in-use manifests are kept");
        assertEquals(3, store.collectGarbage(List.of()).blobs().size());
        assertEquals(List.of(), list(store.root().layers()));
    }

    @Test
    void garbageCollectorWaitsForLeases() throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            Future<GarbageCollector.Result> gc;
            try (Lease lease = store.lease()) {
                gc = threads.submit(() -> store.collectGarbage(List.of()));
                Thread.sleep(300);
                assertFalse(gc.isDone(), "the collector waits while a pull holds a lease");
                // the pull's own threads still get leases (and ingest) while the collector waits for the pull
                Digest blob = threads.submit(() -> store.blobs().put("from a worker".getBytes())).get(10, TimeUnit.SECONDS);
                assertTrue(store.blobs().has(blob));
            }
            gc.get(10, TimeUnit.SECONDS);
        } finally {
            threads.shutdown();
        }
    }

    /** Another process that holds a shared lock on gc.lock (a pull in another CLI call) holds the collector off. */
    @Test
    void garbageCollectorWaitsForAnotherProcess() throws Exception {
        Path holder = dir.resolve("Holder.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                class Holder {
                    public static void main(String[] a) throws Exception {
                        try (var c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.READ,
                                StandardOpenOption.WRITE); var l = c.lock(0, Long.MAX_VALUE, true)) {
                            System.out.println("locked");
                            System.in.read();
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, holder.toString(), store.root().dir().resolve("gc.lock").toString()).start();
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine());
            Future<GarbageCollector.Result> gc = threads.submit(() -> store.collectGarbage(List.of()));
            Thread.sleep(300);
            assertFalse(gc.isDone(), "the collector waits for the other process");
            p.getOutputStream().close();
            gc.get(10, TimeUnit.SECONDS);
        } finally {
            threads.shutdown();
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void chainIdsAsTheImageSpecComputesThem() {
        Digest a = Digest.of("a".getBytes()), b = Digest.of("b".getBytes());
        assertEquals(List.of(a, Digest.of((a + " " + b).getBytes(StandardCharsets.US_ASCII))), ChainIds.of(List.of(a, b)));
    }

    private static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
