package io.capsa.image.registry;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.ImageInfo;
import io.capsa.image.Images;
import io.capsa.image.MediaTypes;
import io.capsa.image.Platform;
import io.capsa.image.PullOptions;
import io.capsa.image.PullReport;
import io.capsa.image.TreeSnapshot;
import io.capsa.image.reference.ReferenceException;
import io.capsa.image.rootfs.RootFilesystems;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Layer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Images}: the registry client and the store together, against docker-registry with images that umoci made
 * and skopeo pushed, each test into an empty data root.
 */
class ImagesIT {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static Path tmp;
    private static LocalRegistry registry;
    private static TestLayout layout;
    private static Path umociRootfs; // umoci unpack of image "a"
    private Path dataRoot;
    private ImageStore store;
    private Images images;

    @BeforeAll
    static void setUpRegistry() throws IOException {
        tmp = Files.createTempDirectory("capsa-images-it");
        registry = new LocalRegistry(Files.createDirectory(tmp.resolve("registry")), "");
        Path files = Files.createDirectory(tmp.resolve("files"));
        Path hello = Files.writeString(files.resolve("hello.txt"), "hello\n");
        Path script = Files.writeString(files.resolve("run.sh"), "#!/bin/sh\necho run\n");
        Path corrupt = Files.writeString(files.resolve("corrupt.txt"), "to be corrupted in the registry\n");
        Path second = Files.writeString(files.resolve("second.txt"), "the second layer, to be corrupted in the registry\n");
        Path big = files.resolve("big.bin");
        byte[] random = new byte[1536 * 1024];
        new Random(11).nextBytes(random);
        Files.write(big, random);
        layout = new TestLayout(tmp.resolve("layout")).repacked("a", hello, script).repacked("c", corrupt).repacked("two", hello, second).repacked("big", big).forArchitecture("a", "arm64", "b");
        layout.index("multi", "a", "linux/amd64", "b", "linux/arm64/v8");
        layout.push("multi", registry.domain() + "/test/multi:1", "--all");
        layout.push("c", registry.domain() + "/test/corrupt:1");
        layout.push("two", registry.domain() + "/test/two:1");
        layout.push("big", registry.domain() + "/test/big:1");
        Tools.run("umoci", "unpack", "--image", layout.dir + ":a", tmp.resolve("bundle").toString());
        umociRootfs = tmp.resolve("bundle/rootfs");
    }

    @AfterAll
    static void tearDownRegistry() {
        if (registry != null) registry.close();
        Tools.deleteTree(tmp);
    }

    @BeforeEach
    void setUp() throws IOException {
        dataRoot = Files.createTempDirectory(tmp, "root");
        store = new ImageStore(dataRoot);
        images = new Images(store, RegistryOptions.defaults().withAuthConfig(tmp.resolve("docker/config.json")));
    }

    @AfterEach
    void tearDown() {
        images.close();
        Tools.deleteTree(dataRoot);
    }

    private static String ref(String name) {
        return registry.domain() + "/" + name;
    }

    @Test
    void pullsRecordsUnpacksAndRemovesAnImage() throws IOException {
        Digest index = layout.digest("multi"), manifest = layout.digest("a");
        Events events = new Events();
        PullReport report = images.pull(ref("test/multi:1"), new PullOptions(AMD64, events));
        assertEquals(List.of(ref("test/multi:1"), ref("test/multi@" + index)), report.names());
        assertEquals(index, report.digest());
        assertEquals(manifest, report.manifest());
        assertEquals(List.of(ref("test/multi:1"), ref("test/multi@" + index)), images.list().stream().map(ImageRecord::name).toList());
        for (ImageRecord r : images.list()) assertEquals(index, r.target());
        assertEquals(MediaTypes.OCI_INDEX, images.list().getFirst().mediaType());

        // blobs byte for byte as umoci wrote them: the index, the platform's manifest, its config and layers
        ImageInfo info = images.inspect(ref("test/multi:1"), AMD64);
        assertEquals(manifest, info.manifest());
        List<Digest> expected = new ArrayList<>(List.of(index, manifest, store.manifest(manifest).config().digest()));
        for (Layer layer : info.layers()) expected.add(layer.blob().digest());
        assertEquals(Set.copyOf(expected), new HashSet<>(store.blobs().list()));
        for (Digest d : expected) assertEquals(-1L, Files.mismatch(layout.dir.resolve("blobs/sha256/" + d.hex()), store.blobs().path(d)), d.toString());
        assertEquals(3, report.fetched().size(), "config and two layers: " + report.fetched());
        assertEquals(2, report.layers().size());
        for (Layer layer : report.layers()) assertTrue(Files.isDirectory(layer.dir()), layer.dir().toString());
        assertTrue(events.lines.contains("done " + info.layers().getLast().blob().digest()), events.lines.toString());

        // the layers make the root umoci unpacks
        Path target = Files.createDirectory(tmp.resolve("rootfs-" + dataRoot.getFileName()));
        try {
            RootFilesystems.mount(store, manifest, dataRoot.resolve("containers/c1"), target, RootFilesystems.Mode.COPY, false);
            assertEquals(TreeSnapshot.of(umociRootfs, true, true), TreeSnapshot.of(target, true, true));
        } finally {
            RootFilesystems.unmount(target);
            Files.delete(target);
        }
        Tools.deleteTree(dataRoot.resolve("containers"));

        // again: nothing comes over the network, nothing is unpacked again
        Events again = new Events();
        PullReport second = images.pull(ref("test/multi:1"), new PullOptions(AMD64, again));
        assertEquals(List.of(), second.fetched());
        assertEquals(3, again.count("skipped"));
        assertEquals(report.layers(), second.layers());

        // a second name keeps the image when the first goes; the last tag takes the digest's name along
        ImageRecord copy = images.tag(ref("test/multi:1"), "localhost/copy:2");
        assertEquals("localhost/copy:2", copy.name());
        assertEquals("cannot tag " + ref("test/multi:1") + " as localhost/copy@" + index + ": a tag cannot name a digest",
                assertThrows(ImageException.class, () -> images.tag(ref("test/multi:1"), "localhost/copy@" + index)).getMessage());
        assertEquals(index, copy.target());
        assertEquals(List.of(ref("test/multi:1")), images.remove(ref("test/multi:1")).stream().map(ImageRecord::name).toList());
        assertEquals(manifest, images.inspect("localhost/copy:2", AMD64).manifest());
        assertEquals(List.of("localhost/copy:2", ref("test/multi@" + index)),
                images.remove("localhost/copy:2").stream().map(ImageRecord::name).toList());
        assertEquals(List.of(), images.list());
        assertEquals("no such image: localhost/copy:2", assertThrows(ImageException.class, () -> images.remove("localhost/copy:2")).getMessage());

        images.collectGarbage(List.of());
        assertEmpty();
    }

    @Test
    void aCorruptBlobLeavesNoNameNoLayerAndNothingHalfStored() throws IOException {
        Digest layer = layerBlobs("test/corrupt:1").getFirst();
        byte[] bytes = corruptInRegistry(layer);
        try {
            RegistryException e = assertThrows(RegistryException.class, () -> images.pull(ref("test/corrupt:1"), PullOptions.host()));
            assertTrue(e.getMessage().startsWith("blob " + layer + " from " + ref("test/corrupt") + " does not match its digest"), e.getMessage());
        } finally {
            Files.write(registry.blobData(layer.toString()), bytes);
        }
        assertEquals(List.of(), images.list());
        assertFalse(store.blobs().has(layer));
        try (var files = Files.list(store.root().tmp())) {
            assertEquals(List.of(), files.toList(), "no partial download kept");
        }
        try (var layers = Files.list(store.root().layers())) {
            assertEquals(0, layers.count());
        }
        images.collectGarbage(List.of()); // the manifest and config, whole and verified, but named by nothing
        assertEmpty();

        PullReport report = images.pull(ref("test/corrupt:1"), PullOptions.host()); // the registry mended: the pull succeeds
        assertEquals(List.of(ref("test/corrupt:1"), ref("test/corrupt@" + layout.digest("c"))), report.names());
    }

    @Test
    void unpacksLayersWhileTheOthersDownload() {
        boolean[] unpackedBeforeTheLastDone = new boolean[1];
        images.pull(ref("test/multi:1"), new PullOptions(AMD64, new ProgressListener() {
            private int done;

            @Override
            public synchronized void done(Descriptor blob) {
                // the config and both layers are stored with the third: both layers unpack while this download waits
                if (++done == 3) unpackedBeforeTheLastDone[0] = waitForLayers(2);
            }
        }));
        assertTrue(unpackedBeforeTheLastDone[0], "the layers are unpacked only after every download ended");
    }

    @Test
    void theSecondLayerUnpacksWhileTheFirstDownloads() throws IOException {
        Digest first = layerBlobs("test/two:1").getFirst();
        boolean[] secondWritten = new boolean[1];
        images.pull(ref("test/two:1"), new PullOptions(Platform.host(), new ProgressListener() {
            @Override
            public void started(Descriptor blob) { // the first layer's download waits for the second layer's file
                if (blob.digest().equals(first)) secondWritten[0] = waitForUnpacking("second.txt");
            }
        }));
        assertTrue(secondWritten[0], "the second layer waited for the first to download");
        List<Layer> layers = store.layers(layout.digest("two"));
        assertEquals("hello\n", Files.readString(layers.get(0).dir().resolve("hello.txt")));
        assertTrue(Files.exists(layers.get(1).dir().resolve("second.txt")));
        for (Layer layer : layers) assertEquals(Files.size(layer.dir().resolve(layer == layers.get(0) ? "hello.txt" : "second.txt")),
                store.layers().recordedSize(layer.chainId()), "each layer's size recorded as it was unpacked");
    }

    @Test
    void aCorruptSecondLayerLeavesTheFirstUnpackedForTheCollectorAndNoName() throws IOException {
        Digest corrupt = layerBlobs("test/two:1").getLast();
        byte[] bytes = corruptInRegistry(corrupt);
        try {
            RegistryException e = assertThrows(RegistryException.class, () -> images.pull(ref("test/two:1"), new PullOptions(Platform.host(), new ProgressListener() {
                @Override
                public void started(Descriptor blob) { // the first layer unpacks before the second downloads and fails
                    if (blob.digest().equals(corrupt)) waitForLayers(1);
                }
            })));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().startsWith("blob " + corrupt + " from " + ref("test/two") + " does not match its digest"), e.getMessage());
        } finally {
            Files.write(registry.blobData(corrupt.toString()), bytes);
        }
        assertEquals(List.of(), images.list());
        try (var files = Files.list(store.root().tmp())) {
            assertEquals(List.of(), files.toList(), "no partial download or unpack kept");
        }
        try (var layers = Files.list(store.root().layers())) {
            assertEquals(1, layers.count(), "the first layer, unpacked while the second downloaded");
        }
        images.collectGarbage(List.of());
        assertEmpty();
    }

    private static List<Digest> layerBlobs(String name) {
        return Tools.lines(Tools.skopeo("inspect", "--tls-verify=false", "--format", "{{range .Layers}}{{.}}\n{{end}}",
                "docker://" + ref(name))).stream().map(Digest::parse).toList();
    }

    /** Flips a bit of a blob in the registry's storage; returns its bytes, to put back. */
    private static byte[] corruptInRegistry(Digest blob) throws IOException {
        Path data = registry.blobData(blob.toString());
        byte[] bytes = Files.readAllBytes(data);
        byte[] broken = bytes.clone();
        broken[broken.length / 2] ^= 1;
        Files.write(data, broken);
        return bytes;
    }

    /** Waits up to 10 s for a file of that name in a layer being unpacked (tmp/layer-*) or unpacked. */
    private boolean waitForUnpacking(String file) {
        for (int i = 0; i < 1000; i++) {
            try (var unpacking = Files.list(store.root().tmp()); var unpacked = Files.list(store.root().layers())) {
                if (Stream.concat(unpacking.filter(d -> d.getFileName().toString().startsWith("layer-")), unpacked)
                        .anyMatch(d -> Files.exists(d.resolve(file)))) return true;
                Thread.sleep(10);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return false;
    }

    /** Waits up to 10 s for n unpacked layers in the store. */
    private boolean waitForLayers(int n) {
        for (int i = 0; i < 1000; i++) {
            try (var layers = Files.list(store.root().layers())) {
                if (layers.count() >= n) return true;
                Thread.sleep(10);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return false;
    }

    @Test
    void aPullThatBrokeOffIsResumedByTheNext() throws IOException {
        try (FaultProxy proxy = FaultProxy.cutting(registry.port, 256 * 1024, 1000)) {
            RegistryException e = assertThrows(RegistryException.class,
                    () -> images.pull(proxy.domain() + "/test/big:1", PullOptions.host()));
            assertTrue(e.getMessage().contains("broke off after"), e.getMessage());
        }
        assertEquals(List.of(), images.list());
        Digest layer = layerBlobs("test/big:1").getFirst();
        long kept = store.blobs().partialSize(layer);
        assertTrue(kept > 256 * 1024, "kept " + kept);

        Events events = new Events();
        images.pull(ref("test/big:1"), new PullOptions(Platform.host(), events));
        assertTrue(store.blobs().has(layer));
        assertEquals(0, store.blobs().partialSize(layer));
        long first = events.firstReported(layer);
        assertTrue(first > kept && first - kept <= 65536, "the download goes on from byte " + kept + ", first reported " + first);
    }

    @Test
    void pushesAStoredImageWithOnlyItsPlatform() throws IOException {
        images.pull(ref("test/multi:1"), new PullOptions(AMD64, new Events()));
        images.tag(ref("test/multi:1"), ref("pushed/a:1"));
        Digest pushed = images.push(ref("pushed/a:1"), AMD64, PushOptions.MONOLITHIC, ProgressListener.NONE);
        assertEquals(layout.digest("a"), pushed, "the index is partly stored: its amd64 manifest goes up");
        assertEquals(pushed.toString(), Tools.skopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                "docker://" + ref("pushed/a:1")).strip());
        Tools.skopeo("copy", "-q", "--src-tls-verify=false", "docker://" + ref("pushed/a:1"), "oci:" + tmp.resolve("back") + ":x");
    }

    @Test
    void failuresAreOneErrorAndLeaveNoName() {
        assertEquals(ref("test/none:1") + ": manifest unknown",
                assertThrows(RegistryException.class, () -> images.pull(ref("test/none:1"), PullOptions.host())).getMessage());
        assertEquals("no image for linux/s390x in " + ref("test/multi:1") + "; it has linux/amd64, linux/arm64/v8",
                assertThrows(RegistryException.class, () -> images.pull(ref("test/multi:1"),
                        new PullOptions(Platform.parse("linux/s390x"), ProgressListener.NONE))).getMessage());
        assertTrue(assertThrows(ReferenceException.class, () -> images.pull("Bad Name", PullOptions.host())).getMessage()
                .startsWith("invalid reference format \"Bad Name\": "));
        assertEquals("no such image: docker.io/library/busybox:latest",
                assertThrows(ImageException.class, () -> images.inspect("busybox", AMD64)).getMessage());
        assertEquals(List.of(), images.list());
    }

    private void assertEmpty() throws IOException {
        assertEquals(List.of(), store.blobs().list());
        for (Path dir : List.of(store.root().layers(), store.root().dir().resolve("layer-sizes"), store.root().tmp())) {
            try (var files = Files.list(dir)) {
                assertEquals(List.of(), files.toList(), dir.toString());
            }
        }
    }
}
