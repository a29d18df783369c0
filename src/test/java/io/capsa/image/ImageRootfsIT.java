package io.capsa.image;

import io.capsa.image.rootfs.RootFilesystems;
import io.capsa.image.rootfs.RootFilesystems.Kind;
import io.capsa.image.rootfs.RootFilesystems.Mode;
import io.capsa.image.rootfs.RootFilesystems.Mounted;
import io.capsa.image.store.FileTrees;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Layer;
import io.capsa.linux.FileCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images that umoci made (three layers: files of every kind, then deletions as whiteouts, then an opaque
 * directory), loaded into the store, unpacked, mounted as a container's root: the tree equals what
 * `umoci unpack` makes of the same image, as an overlay and as a flattened copy.
 */
class ImageRootfsIT {
    private static Path work;
    private static Path image; // an OCI layout with tag "t"
    private static Path expected; // umoci unpack's rootfs
    private Path dir;
    private final List<Path> mounts = new ArrayList<>();

    @BeforeAll
    static void buildImage() throws Exception {
        work = Files.createTempDirectory("capsa-umoci-");
        UmociImage umoci = UmociImage.build(work);
        image = umoci.layout();
        expected = umoci.rootfs();
    }

    @AfterAll
    static void removeImage() throws IOException {
        FileTrees.delete(work);
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("capsa-rootfs-");
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Path m : mounts.reversed()) RootFilesystems.unmount(m);
        FileTrees.delete(dir);
    }

    @Test
    void overlayRootEqualsUmociUnpack() throws Exception {
        ImageStore store = new ImageStore(dir.resolve("root"));
        Digest manifest = load(store);
        Mounted root = mount(store, manifest, "c1", Mode.AUTO);
        List<Layer> layers = store.layers(manifest);
        assertEquals(3, layers.size());
        assertEquals(Kind.OVERLAY, root.kind());
        assertEquals(TreeSnapshot.of(expected, true, true), TreeSnapshot.of(root.target(), true, true));

        Files.writeString(root.target().resolve("written"), "by the container");
        assertTrue(Files.exists(store.root().dir().resolve("containers/c1/upper/written")), "writes go to the container's upper directory");
        for (Layer layer : layers) assertFalse(Files.exists(layer.dir().resolve("written")));
        RootFilesystems.unmount(root.target()); // a restart mounts the same upper directory again
        assertFalse(Files.exists(root.target().resolve("written")));
        assertEquals(Kind.OVERLAY, mount(store, manifest, "c1", Mode.AUTO).kind());
        assertEquals("by the container", Files.readString(root.target().resolve("written")));

        Mounted second = mount(store, manifest, "c2", Mode.AUTO);
        assertFalse(Files.exists(second.target().resolve("written")), "containers share layers, not changes");
        try (var dirs = Files.list(store.root().layers())) {
            assertEquals(3, dirs.count(), "each layer unpacked once");
        }
    }

    @Test
    void copiedRootEqualsUmociUnpack() throws Exception {
        ImageStore store = new ImageStore(dir.resolve("root"));
        Digest manifest = load(store);
        Mounted root = mount(store, manifest, "c1", Mode.COPY);
        assertEquals(Kind.COPY, root.kind());
        assertEquals(TreeSnapshot.of(expected, true, true), TreeSnapshot.of(root.target(), true, true));
        Files.writeString(root.target().resolve("written"), "by the container");
        RootFilesystems.unmount(root.target()); // a restart, AUTO now: the container keeps its copy
        assertEquals(Kind.COPY, mount(store, manifest, "c1", Mode.AUTO).kind());
        assertEquals("by the container", Files.readString(root.target().resolve("written")));
    }

    /** A data root on an overlay cannot hold upper directories: the mount falls back to a copy and says why. */
    @Test
    void dataRootOnOverlayFallsBackToCopy() throws Exception {
        Path lower = Files.createDirectories(dir.resolve("ovl/lower"));
        Path merged = Files.createDirectories(dir.resolve("ovl/merged"));
        Files.createDirectories(dir.resolve("ovl/upper"));
        Files.createDirectories(dir.resolve("ovl/work"));
        FileCalls.mount("overlay", merged.toString(), "overlay", 0, "lowerdir=" + lower + ",upperdir=" + dir.resolve("ovl/upper")
                + ",workdir=" + dir.resolve("ovl/work"));
        mounts.add(merged);
        ImageStore store = new ImageStore(merged.resolve("root"));
        Path target = Files.createDirectories(dir.resolve("target"));
        Mounted root = RootFilesystems.mount(store, load(store), merged.resolve("containers/c1"), target, Mode.AUTO, false);
        mounts.add(target);
        assertEquals(Kind.COPY, root.kind());
        assertNotNull(root.fallbackReason());
        assertEquals(TreeSnapshot.of(expected, true, true), TreeSnapshot.of(target, true, true));
        RootFilesystems.unmount(target);
        RootFilesystems.remove(target, merged.resolve("containers/c1"));
        assertFalse(Files.exists(merged.resolve("containers/c1")));
    }

    /** More layers than one page of overlay options holds by their full paths: they are named by short links. */
    @Test
    void manyLayersMountThroughShortLinks() throws Exception {
        ImageStore store = new ImageStore(dir.resolve("root"));
        List<byte[]> tars = new ArrayList<>();
        for (int i = 0; i < 59; i++) tars.add(new TestTar().file("f" + i, "layer " + i).bytes());
        tars.add(new TestTar().file(".wh.f0", "").bytes());
        Digest manifest = TestImages.store(store, tars, tars.stream().map(Digest::of).toList(), MediaTypes.OCI_LAYER);
        store.images().put("localhost/many:1", manifest, MediaTypes.OCI_MANIFEST);
        Mounted root = mount(store, manifest, "c1", Mode.AUTO);
        assertEquals(Kind.OVERLAY, root.kind());
        assertFalse(Files.exists(root.target().resolve("f0")), "the top layer's whiteout hides the bottom one's file");
        assertEquals("layer 58", Files.readString(root.target().resolve("f58")));
        try (var links = Files.list(store.root().dir().resolve("l"))) {
            assertEquals(60, links.count());
        }
        RootFilesystems.remove(root.target(), store.root().dir().resolve("containers/c1"));
        store.images().remove("localhost/many:1");
        store.collectGarbage(List.of());
        try (var links = Files.list(store.root().dir().resolve("l"))) {
            assertEquals(0, links.count(), "the collector removes links to removed layers");
        }
    }

    private Mounted mount(ImageStore store, Digest manifest, String container, Mode mode) throws IOException {
        Path target = Files.createDirectories(dir.resolve("mnt-" + container));
        Mounted m = RootFilesystems.mount(store, manifest, store.root().dir().resolve("containers/" + container), target, mode, false);
        mounts.add(target);
        return m;
    }

    /** What a pull does, from an OCI layout instead of a registry: every blob ingested and verified, the name recorded. */
    static Digest load(ImageStore store) throws IOException {
        ImageIndex index = Manifests.index(Files.readAllBytes(image.resolve("index.json")), "index.json");
        Descriptor manifest = index.manifests().stream()
                .filter(d -> "t".equals(d.annotations().get("org.opencontainers.image.ref.name"))).findFirst().orElseThrow();
        ingest(store, manifest);
        Manifest m = store.manifest(manifest.digest());
        ingest(store, m.config());
        for (Descriptor layer : m.layers()) ingest(store, layer);
        store.images().put("localhost/umoci:t", manifest.digest(), manifest.mediaType());
        return manifest.digest();
    }

    private static void ingest(ImageStore store, Descriptor d) throws IOException {
        try (InputStream in = Files.newInputStream(image.resolve("blobs/sha256").resolve(d.digest().hex()))) {
            store.blobs().ingest(in, d.digest(), d.size());
        }
    }

}
