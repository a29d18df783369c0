package io.capsa.image.archive;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.ImageConfig;
import io.capsa.image.ImageException;
import io.capsa.image.ImageIndex;
import io.capsa.image.Manifests;
import io.capsa.image.MediaTypes;
import io.capsa.image.Platform;
import io.capsa.image.TestTar;
import io.capsa.image.TreeSnapshot;
import io.capsa.image.UmociImage;
import io.capsa.image.rootfs.RootFilesystems;
import io.capsa.image.rootfs.RootFilesystems.Mode;
import io.capsa.image.store.FileTrees;
import io.capsa.image.store.ImageStore;
import io.capsa.image.unpack.TarEntry;
import io.capsa.image.unpack.TarReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

import static io.capsa.image.TreeSnapshot.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Image tarballs that skopeo wrote (docker-archive and oci-archive of an image umoci made) loaded into the
 * store; archives the store saved, read by skopeo and `podman load`; `import` of a root file system; the
 * default busybox archive; and broken archives, each refused with one line and nothing kept.
 */
class ArchiveIT {
    private static final String NAME = "localhost/umoci:t";
    private static Path work;
    private static UmociImage umoci;
    private static Path dockerArchive;
    private static Path ociArchive;
    private Path dir;
    private ImageStore store;

    @BeforeAll
    static void buildArchives() throws Exception {
        work = Files.createTempDirectory("capsa-archive-");
        umoci = UmociImage.build(work);
        dockerArchive = work.resolve("docker.tar");
        ociArchive = work.resolve("oci.tar");
        run("skopeo", "copy", "oci:" + umoci.layout() + ":t", "docker-archive:" + dockerArchive + ":" + NAME);
        run("skopeo", "copy", "oci:" + umoci.layout() + ":t", "oci-archive:" + ociArchive + ":" + NAME);
    }

    @AfterAll
    static void removeArchives() throws IOException {
        FileTrees.delete(work);
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("capsa-archive-test-");
        store = new ImageStore(dir.resolve("root"));
    }

    @AfterEach
    void tearDown() throws IOException {
        FileTrees.delete(dir);
    }

    @Test
    void dockerArchiveFromSkopeoUnpacksAsUmociDoes() throws Exception {
        List<LoadedImage> loaded;
        try (InputStream stdin = Files.newInputStream(dockerArchive)) {
            loaded = ArchiveLoader.load(store, stdin, "-");
        }
        assertEquals(1, loaded.size());
        assertEquals(List.of(NAME), loaded.getFirst().names());
        assertEquals(loaded.getFirst().target(), store.images().get(NAME).orElseThrow().target());
        assertEquals(TreeSnapshot.of(umoci.rootfs(), true, true), tree(loaded.getFirst().target()));
        assertEquals(List.of(), store.collectGarbage(List.of()).blobs(), "the legacy json and VERSION files are not stored");
    }

    @Test
    void ociArchiveFromSkopeoUnpacksAsUmociDoesAndKeepsItsDigests() throws Exception {
        List<LoadedImage> loaded = ArchiveLoader.load(store, ociArchive);
        assertEquals(List.of(NAME), loaded.getFirst().names());
        assertEquals(archiveIndex(ociArchive).manifests().getFirst().digest(), loaded.getFirst().target());
        assertEquals(TreeSnapshot.of(umoci.rootfs(), true, true), tree(loaded.getFirst().target()));
    }

    @Test
    void savedDockerArchiveReadBySkopeoAndPodmanAndLoadedBackWithItsDigests() throws Exception {
        LoadedImage original = ArchiveLoader.load(store, ociArchive).getFirst();
        Path saved = dir.resolve("saved-docker.tar");
        ArchiveSaver.save(store, List.of(NAME), ArchiveFormat.DOCKER, saved);
        assertEquals(original.config(), Digest.of(run("skopeo", "inspect", "--config", "--raw", "docker-archive:" + saved)
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(NAME, podmanLoad(saved));
        assertSameImage(original, saved);

        Path none = dir.resolve("none.tar");
        assertEquals("save: image docker.io/library/nope:latest is not in the store", assertThrows(ImageException.class,
                () -> ArchiveSaver.save(store, List.of(NAME, "nope"), ArchiveFormat.DOCKER, none)).getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains("none.tar")).toList(), "no partial archive");
        }
    }

    @Test
    void savedOciArchiveReadBySkopeoAndPodmanAndLoadedBackWithItsDigests() throws Exception {
        LoadedImage original = ArchiveLoader.load(store, dockerArchive).getFirst();
        Path saved = dir.resolve("saved-oci.tar");
        ArchiveSaver.save(store, List.of(NAME), ArchiveFormat.OCI, saved);
        assertTrue(run("skopeo", "inspect", "--raw", "oci-archive:" + saved).contains(original.config().toString()));
        assertEquals(NAME, podmanLoad(saved));
        LoadedImage back = assertSameImage(original, saved);
        assertEquals(original.target(), back.target(), "an oci-archive keeps the manifest as it is");
    }

    /** Two names of one image and a second image in one docker-archive, to stdout, gzipped: each name comes back. */
    @Test
    void severalImagesInOneArchive() throws Exception {
        ArchiveLoader.load(store, dockerArchive);
        ImageImporter.importTarball(store, new ByteArrayInputStream(new TestTar().file("f", "x").bytes()), "-",
                "localhost/other:1", List.of(), null, Platform.parse("linux/amd64"));
        store.images().put("localhost/umoci:alias", store.images().get(NAME).orElseThrow().target(), MediaTypes.OCI_MANIFEST);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ArchiveSaver.save(store, List.of(NAME, "localhost/umoci:alias", "localhost/other:1"), ArchiveFormat.DOCKER, stdout);
        ByteArrayOutputStream gzip = new ByteArrayOutputStream(); // docker load takes a compressed archive too
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(stdout.toByteArray());
        }
        ImageStore other = new ImageStore(dir.resolve("other"));
        List<LoadedImage> back = ArchiveLoader.load(other, new ByteArrayInputStream(gzip.toByteArray()), "-");
        assertEquals(List.of(List.of(NAME, "localhost/umoci:alias"), List.of("localhost/other:1")),
                back.stream().map(LoadedImage::names).toList());
    }

    @Test
    void importWithChangesGivesThatConfig() throws Exception {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(new TestTar().dir("etc", 0755).file("etc/motd", "imported").bytes());
        }
        Path tarball = Files.write(dir.resolve("rootfs.tar.gz"), gzip.toByteArray());
        LoadedImage image = ImageImporter.importTarball(store, tarball, "imported:v1", List.of("CMD [\"sh\"]", "ENV A=b",
                "ENV B \"two  words\"", "ENTRYPOINT echo hi", "EXPOSE 80 53/udp", "LABEL x=\"y z\"", "USER 1000:1000",
                "WORKDIR /srv", "VOLUME /data", "STOPSIGNAL SIGINT"), null, Platform.parse("linux/amd64"));
        assertEquals(List.of("docker.io/library/imported:v1"), image.names());
        ImageConfig config = store.config(image.config());
        assertEquals(List.of("sh"), config.cmd());
        assertEquals(List.of("A=b", "B=two  words"), config.env());
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), config.entrypoint());
        assertEquals(List.of("80/tcp", "53/udp"), config.exposedPorts());
        assertEquals(Map.of("x", "y z"), config.labels());
        assertEquals("1000:1000", config.user());
        assertEquals("/srv", config.workingDir());
        assertEquals(List.of("/data"), config.volumes());
        assertEquals("SIGINT", config.stopSignal());
        assertEquals("amd64", config.architecture());
        assertEquals("imported", Files.readString(store.unpack(image.target()).getFirst().dir().resolve("etc/motd")));
        assertEquals("invalid change \"FROM busybox\": unsupported instruction FROM (supported: CMD, ENTRYPOINT, ENV, EXPOSE, "
                + "LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL)", assertThrows(ImageException.class, () -> ImageImporter.importTarball(
                store, tarball, "x", List.of("FROM busybox"), null, Platform.parse("linux/amd64"))).getMessage());
    }

    /** A root file system as GNU tar packs it (gzip, xattrs, owners): the image's tree is the same tree. */
    @Test
    void importOfGnuTarballUnpacksToTheSameTree() throws Exception {
        Path tarball = dir.resolve("rootfs.tgz");
        run("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-C", umoci.rootfs().toString(), "-czf", tarball.toString(), ".");
        LoadedImage image;
        try (InputStream stdin = Files.newInputStream(tarball)) {
            image = ImageImporter.importTarball(store, stdin, "-", "localhost/imported", List.of(), null, Platform.parse("linux/amd64"));
        }
        assertEquals(List.of("localhost/imported:latest"), image.names());
        assertEquals(TreeSnapshot.of(umoci.rootfs(), true, true), tree(image.target()));
    }

    @Test
    void importOfWhatIsNoTarRefused() {
        byte[] text = "just some text, not a tar at all, but longer than one tar block: ".repeat(10).getBytes();
        assertEquals("import -: not a tar archive (nor a gzip or zstd compressed one)", assertThrows(ImageException.class,
                () -> ImageImporter.importTarball(store, new ByteArrayInputStream(text), "-", "x", List.of(), null,
                        Platform.parse("linux/amd64"))).getMessage());
        assertEquals("import -: the tarball is empty", assertThrows(ImageException.class,
                () -> ImageImporter.importTarball(store, new ByteArrayInputStream(new byte[1024]), "-", "x", List.of(), null,
                        Platform.parse("linux/amd64"))).getMessage());
        assertEquals(List.of(), store.images().list());
        store.collectGarbage(List.of());
        assertEquals(List.of(), store.blobs().list());
    }

    /** The build's busybox archive, into a new data root by two threads at once: one image, the archive's manifest. */
    @Test
    void defaultImageLoadedOnceWithTheArchivesManifest() throws Exception {
        Path archive = DefaultImage.bundledArchive();
        assertEquals(Path.of("target/busybox.oci.tar").toAbsolutePath(), archive);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) results.add(pool.submit(() -> DefaultImage.ensureLoaded(store, archive)));
            for (Future<Boolean> f : results) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(archiveIndex(archive).manifests().getFirst().digest(),
                store.images().get(DefaultImage.NAME).orElseThrow().target());
        assertFalse(DefaultImage.ensureLoaded(store, archive), "a store that has it is left alone");
        assertTrue(Files.isRegularFile(store.unpack(store.images().get(DefaultImage.NAME).orElseThrow().target())
                .getFirst().dir().resolve("bin/busybox")));
    }

    /** Busybox's layer is over 1 MiB: in a docker-archive it passes through a temporary file, not memory. */
    @Test
    void largeDockerLayerRoundTrip() throws Exception {
        DefaultImage.ensureLoaded(store, DefaultImage.bundledArchive());
        Path saved = dir.resolve("busybox.tar");
        ArchiveSaver.save(store, List.of("busybox"), ArchiveFormat.DOCKER, saved);
        ImageStore other = new ImageStore(dir.resolve("other"));
        LoadedImage back = ArchiveLoader.load(other, saved).getFirst();
        Digest original = store.manifest(store.images().get(DefaultImage.NAME).orElseThrow().target()).config().digest();
        assertEquals(original, back.config());
        assertTrue(Files.size(other.blobs().path(other.manifest(back.target()).layers().getFirst().digest())) > 1 << 20);
        assertTrue(Files.isRegularFile(other.unpack(back.target()).getFirst().dir().resolve("bin/busybox")));
    }

    /** An export of one platform of a multi-platform image: the index names a manifest the archive lacks. */
    @Test
    void indexWithOnlySomeOfItsManifestsLoads() throws Exception {
        TestTar archive = new TestTar();
        Descriptor busybox = null;
        try (InputStream in = Files.newInputStream(DefaultImage.bundledArchive())) {
            TarReader tar = new TarReader(in);
            for (TarEntry e = tar.next(); e != null; e = tar.next()) {
                byte[] content = tar.content().readAllBytes();
                if (e.name().equals("index.json")) busybox = Manifests.index(content, "index.json").manifests().getFirst();
                else if (e.type() == TarEntry.Type.FILE) archive.entry(e.name(), '0', 0644, 0, 0, 0, content, "", Map.of());
            }
        }
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + busybox.digest() + "\",\"size\":"
                + busybox.size() + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + busybox.platform().architecture() + "\"}},"
                + "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + Digest.of("elsewhere".getBytes())
                + "\",\"size\":9,\"platform\":{\"os\":\"linux\",\"architecture\":\"s390x\"}}]}";
        Digest indexDigest = Digest.of(index.getBytes());
        archive.file("blobs/sha256/" + indexDigest.hex(), index).file("index.json", "{\"schemaVersion\":2,\"manifests\":[{"
                + "\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"digest\":\"" + indexDigest + "\",\"size\":" + index.length()
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"localhost/multi:1\"}}]}");
        LoadedImage image = ArchiveLoader.load(store, new ByteArrayInputStream(archive.bytes()), "-").getFirst();
        assertEquals(List.of("localhost/multi:1"), image.names());
        assertEquals(indexDigest, image.target());
        assertEquals(busybox.digest(), store.manifestFor(indexDigest, busybox.platform()));
        Path saved = dir.resolve("saved.tar");
        ArchiveSaver.save(store, List.of("localhost/multi:1"), ArchiveFormat.DOCKER, saved);
        assertEquals(List.of("localhost/multi:1"), ArchiveLoader.load(new ImageStore(dir.resolve("other")), saved).getFirst().names());
    }

    @Test
    void corruptArchiveRefused() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        assertRefused(garbage, "load -: not a tar archive (nor a gzip or zstd compressed one)");
        garbage[0] = '\n';
        byte[] member = new TestTar().file("c.json", "{}").bytes();
        byte[] corrupt = java.util.Arrays.copyOf(member, 1024 + garbage.length); // the member, then garbage for a header
        System.arraycopy(garbage, 0, corrupt, 1024, garbage.length);
        String message = refused(corrupt);
        assertTrue(message.startsWith("load -: corrupt tar archive after member c.json: "), message);
    }

    @Test
    void truncatedArchiveRefused() throws Exception {
        byte[] whole = Files.readAllBytes(dockerArchive);
        String message = refused(java.util.Arrays.copyOf(whole, whole.length / 2));
        assertTrue(message.endsWith(": the archive ends inside an entry's content"), message);
    }

    @Test
    void ociBlobWithAnotherDigestRefused() throws Exception {
        byte[] content = "not what the name says".getBytes();
        Digest claimed = Digest.of("something else".getBytes());
        byte[] archive = new TestTar().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}")
                .file("blobs/sha256/" + claimed.hex(), new String(content)).bytes();
        assertRefused(archive, "load -: blob " + claimed + ": digest mismatch: the content is " + Digest.of(content));
    }

    @Test
    void dockerLayerWithAnotherDigestRefused() throws Exception {
        String layer = new String(new TestTar().file("f", "x").bytes(), StandardCharsets.ISO_8859_1);
        Digest claimed = Digest.of("another layer".getBytes());
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + claimed + "\"]}}";
        byte[] archive = new TestTar().file("c.json", config).entry("l/layer.tar", '0', 0644, 0, 0, 0,
                        layer.getBytes(StandardCharsets.ISO_8859_1), "", Map.of())
                .file("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"l/layer.tar\"]}]").bytes();
        assertRefused(archive, "load -: layer l/layer.tar: digest mismatch: the config's diff_id is " + claimed
                + ", the layer's " + Digest.of(layer.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void memberNamedOutsideTheArchiveRefused() throws Exception {
        assertRefused(new TestTar().file("../../etc/cron.d/evil", "x").bytes(),
                "load -: member ../../etc/cron.d/evil: its name leads outside the archive");
        assertRefused(new TestTar().file("c.json", "{}").file("manifest.json",
                        "[{\"Config\":\"c.json\",\"Layers\":[\"../layer.tar\"]}]").bytes(),
                "load -: member ../layer.tar: its name leads outside the archive");
    }

    @Test
    void unknownFormatRefused() throws Exception {
        assertRefused(new TestTar().file("hello.txt", "hello").bytes(),
                "load -: unknown archive format: neither an oci-archive (index.json) nor a docker-archive (manifest.json)");
        assertEquals("load " + dir.resolve("none.tar") + ": no such file", assertThrows(ImageException.class,
                () -> ArchiveLoader.load(store, dir.resolve("none.tar"))).getMessage());
    }

    private LoadedImage assertSameImage(LoadedImage original, Path saved) {
        ImageStore other = new ImageStore(dir.resolve("reloaded"));
        LoadedImage back = ArchiveLoader.load(other, saved).getFirst();
        assertEquals(List.of(NAME), back.names());
        assertEquals(original.config(), back.config());
        assertEquals(store.config(original.config()).diffIds(), other.config(back.config()).diffIds());
        other.unpack(back.target());
        return back;
    }

    private void assertRefused(byte[] archive, String message) {
        assertEquals(message, refused(archive));
    }

    /** The one-line error of a load that fails, after checking that nothing is recorded and the collector empties the store. */
    private String refused(byte[] archive) {
        String message = assertThrows(ImageException.class,
                () -> ArchiveLoader.load(store, new ByteArrayInputStream(archive), "-")).getMessage();
        assertFalse(message.contains("\n"), message);
        assertEquals(List.of(), store.images().list());
        store.collectGarbage(List.of());
        assertEquals(List.of(), store.blobs().list(), "the collector leaves an empty store");
        try (var tmp = Files.list(store.root().tmp())) {
            assertEquals(0, tmp.count());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return message;
    }

    private Map<String, String> tree(Digest manifest) throws IOException {
        Path target = Files.createDirectories(dir.resolve("mnt"));
        Path container = store.root().dir().resolve("containers/c1");
        RootFilesystems.mount(store, manifest, container, target, Mode.COPY, false);
        try {
            return TreeSnapshot.of(target, true, true);
        } finally {
            RootFilesystems.unmount(target);
            RootFilesystems.remove(target, container);
        }
    }

    /** Loads into a private podman store (vfs, removed after) and returns the name podman lists. */
    private String podmanLoad(Path archive) throws Exception {
        Path root = Files.createTempDirectory("capsa-podman-"), runRoot = Files.createTempDirectory("capsa-podrun-"); // podman wants a short runroot
        try {
            run("podman", "--root", root.toString(), "--runroot", runRoot.toString(), "--storage-driver", "vfs", "load", "-i", archive.toString());
            return run("podman", "--root", root.toString(), "--runroot", runRoot.toString(), "--storage-driver", "vfs", "images",
                    "--format", "{{.Repository}}:{{.Tag}}").strip();
        } finally {
            FileTrees.delete(root);
            FileTrees.delete(runRoot);
        }
    }

    private static ImageIndex archiveIndex(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            TarReader tar = new TarReader(in);
            for (TarEntry e = tar.next(); e != null; e = tar.next())
                if (e.name().equals("index.json")) return Manifests.index(tar.content().readAllBytes(), "index.json");
        }
        throw new AssertionError(archive + " has no index.json");
    }
}
