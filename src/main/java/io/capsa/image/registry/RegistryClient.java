package io.capsa.image.registry;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.Manifest;
import io.capsa.image.MediaTypes;
import io.capsa.image.Platform;
import io.capsa.image.reference.Reference;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Pulls and pushes images over the OCI distribution API (Docker Registry HTTP API v2), and logs in and out.
 * One client may serve many calls, also from several threads; its tokens are cached for its lifetime.
 * java.net.http loads some 1,200 classes: only commands that talk to a registry should make one.
 */
public final class RegistryClient implements AutoCloseable {
    /** containerd's limit too: a manifest is small, an endless answer is an error. */
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** How long a failed pull or push waits for its other transfers to stop; a read stuck on a silent connection may not. */
    private static final int STOP_TIMEOUT_SECONDS = 10;
    /** What a manifest GET accepts, as Docker sends it. */
    private static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);

    private final RegistryOptions options;
    private final DockerConfig config;
    private final Map<String, Optional<Credentials>> credentials = new ConcurrentHashMap<>();
    private final RegistryHttp http;

    public RegistryClient(RegistryOptions options) {
        this.options = options;
        this.config = new DockerConfig(options.authConfig());
        this.http = new RegistryHttp(domain -> credentials.computeIfAbsent(domain, d -> Optional.ofNullable(config.credentials(d))).orElse(null));
    }

    // ---- pull ----

    /** The image manifest the reference names for the platform, choosing from an index; no blob is fetched. */
    public Resolved resolve(Reference reference, Platform platform) {
        Endpoint endpoint = endpoint(reference);
        List<String> scopes = List.of(scope(reference, "pull"));
        RawManifest top = fetchManifest(endpoint, reference, reference.manifestReference(), scopes);
        if (!top.isIndex()) return new Resolved(reference, null, top, checkImage(reference, top));
        Descriptor chosen = choose(reference, top, platform);
        RawManifest image = fetchManifest(endpoint, reference, chosen.digest().toString(), scopes);
        if (image.isIndex()) throw new RegistryException(reference + ": the entry for " + platform + " is an index again, which capsa does not follow");
        return new Resolved(reference, top, image, checkImage(reference, image));
    }

    /** A reference resolved to one image manifest: what {@link #pull} then fetches. */
    public record Resolved(Reference reference, RawManifest index, RawManifest manifest, List<Descriptor> blobs) {
        public Descriptor config() {
            return blobs.getFirst();
        }

        public List<Descriptor> layers() {
            return blobs.subList(1, blobs.size());
        }
    }

    /**
     * Fetches the image for the platform into the sink: index and manifest, then config and layers (several at
     * once), each checked against its digest while it streams. Blobs the sink has already are not fetched;
     * of those it kept in part ({@link BlobSink#partialSize}), only the rest.
     */
    public PullResult pull(Reference reference, Platform platform, BlobSink sink, ProgressListener listener) {
        return pull(resolve(reference, platform), platform, sink, listener);
    }

    /** As {@link #pull(Reference, Platform, BlobSink, ProgressListener)}, for a reference {@link #resolve}d already. */
    public PullResult pull(Resolved resolved, Platform platform, BlobSink sink, ProgressListener listener) {
        Reference reference = resolved.reference();
        if (resolved.index() != null) store(resolved.index(), sink);
        store(resolved.manifest(), sink);
        Endpoint endpoint = endpoint(reference);
        List<String> scopes = List.of(scope(reference, "pull"));
        Map<Digest, Descriptor> unique = new LinkedHashMap<>();
        for (Descriptor blob : resolved.blobs()) unique.putIfAbsent(blob.digest(), blob);
        List<Runnable> downloads = new ArrayList<>();
        for (Descriptor blob : unique.values()) {
            if (sink.has(blob.digest())) listener.skipped(blob);
            else downloads.add(() -> download(endpoint, reference, scopes, blob, sink, listener));
        }
        runAll(downloads);
        return new PullResult(reference, platform, resolved.index() == null ? null : resolved.index().descriptor(),
                resolved.manifest().descriptor(), resolved.config(), resolved.layers());
    }

    private static void store(RawManifest manifest, BlobSink sink) {
        Digest digest = manifest.descriptor().digest();
        if (sink.has(digest)) return;
        try {
            sink.write(digest, manifest.bytes().length, 0, new ByteArrayInputStream(manifest.bytes()));
        } catch (IOException e) {
            throw new RegistryException("cannot store manifest " + digest + ": " + RegistryHttp.describe(e), e);
        }
    }

    private RawManifest fetchManifest(Endpoint endpoint, Reference reference, String tagOrDigest, List<String> scopes) {
        String name = reference.repository() + (tagOrDigest.contains(":") ? "@" : ":") + tagOrDigest;
        HttpResponse<InputStream> response = http.send(endpoint, "GET", manifestUri(endpoint, reference, tagOrDigest), scopes, null,
                "Accept", MANIFEST_ACCEPT);
        if (response.statusCode() != 200) throw http.failure(endpoint, response, name);
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw new RegistryException(name + ": reading the manifest failed: " + RegistryHttp.describe(e), e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) throw new RegistryException(name + ": the manifest is larger than " + MAX_MANIFEST_BYTES + " bytes");
        Digest digest;
        if (tagOrDigest.contains(":")) {
            digest = Digest.parse(tagOrDigest);
            Digest actual = digest.ofContent(bytes);
            if (!actual.equals(digest)) throw new RegistryException(name + ": the manifest does not match its digest: its content is " + actual);
        } else {
            digest = Digest.of(bytes);
            String claimed = response.headers().firstValue("Docker-Content-Digest").orElse(digest.toString());
            if (claimed.startsWith("sha256:") && !claimed.equals(digest.toString()))
                throw new RegistryException(name + ": the manifest does not match the digest the registry gives (" + claimed + "): its content is " + digest);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        int semicolon = contentType.indexOf(';');
        if (semicolon >= 0) contentType = contentType.substring(0, semicolon).trim();
        return RawManifest.of(bytes, digest, contentType, name);
    }

    private static Descriptor choose(Reference reference, RawManifest index, Platform platform) {
        try {
            return index.index().select(platform, reference.toString());
        } catch (ImageException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    /** Config then layers; refuses what capsa cannot run before a byte of it is fetched. */
    private static List<Descriptor> checkImage(Reference reference, RawManifest manifest) {
        Manifest image = manifest.image();
        try {
            return image.runnableBlobs(reference.toString());
        } catch (ImageException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    private void download(Endpoint endpoint, Reference reference, List<String> scopes, Descriptor blob, BlobSink sink, ProgressListener listener) {
        String source = reference.repository();
        URI uri = endpoint.resolve("/v2/" + reference.path() + "/blobs/" + blob.digest());
        listener.started(blob);
        BlobStream.Opener opener = offset -> openBlob(endpoint, uri, scopes, source, blob, offset);
        long kept = sink.partialSize(blob.digest());
        if (kept >= blob.size()) kept = 0; // all of it, yet not stored: fetch it again rather than guess why
        try (BlobStream stream = new BlobStream(blob, source, kept, opener.open(kept), opener, listener)) {
            sink.write(blob.digest(), blob.size(), kept, stream);
        } catch (IOException e) {
            throw new RegistryException(e instanceof BlobMismatchException ? e.getMessage()
                    : "pulling blob " + blob.digest() + " of " + reference + " failed: " + RegistryHttp.describe(e), e);
        }
        listener.done(blob);
    }

    /** The blob from {@code offset} on: a Range request, and if the registry ignores it, the start skipped. */
    private InputStream openBlob(Endpoint endpoint, URI uri, List<String> scopes, String source, Descriptor blob, long offset) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = offset == 0 ? http.send(endpoint, "GET", uri, scopes, null)
                    : http.send(endpoint, "GET", uri, scopes, null, "Range", "bytes=" + offset + "-");
        } catch (RegistryException e) {
            throw new IOException(e.getMessage(), e);
        }
        int status = response.statusCode();
        if (status == 206 && offset > 0) return response.body();
        if (status != 200) throw new IOException(http.failure(endpoint, response, "blob " + blob.digest() + " of " + source).getMessage());
        InputStream body = response.body();
        body.skipNBytes(offset);
        return body;
    }

    // ---- push ----

    /**
     * Pushes an image: blobs first (skipping those the registry has, mounting from {@code options.mountFrom()}
     * where it can), then the manifest under the reference's tag. An index is pushed with each of its images,
     * and their manifests by digest before the index. Returns the digest of the manifest or index pushed.
     */
    public Digest push(Reference target, Descriptor manifest, BlobSource source, PushOptions options, ProgressListener listener) {
        Endpoint endpoint = endpoint(target);
        List<String> scopes = new ArrayList<>(List.of(scope(target, "pull,push")));
        if (options.mountFrom() != null && !options.mountFrom().equals(target.path()))
            scopes.add("repository:" + options.mountFrom() + ":pull");
        RawManifest top = readManifest(source, manifest, target);
        List<RawManifest> images = new ArrayList<>();
        if (top.isIndex()) {
            for (Descriptor entry : top.index().manifests()) images.add(readManifest(source, entry, target));
        } else {
            images.add(top);
        }
        Map<Digest, Descriptor> unique = new LinkedHashMap<>();
        for (RawManifest image : images) {
            for (Descriptor blob : checkImage(target, image)) unique.putIfAbsent(blob.digest(), blob);
        }
        List<Runnable> uploads = new ArrayList<>();
        for (Descriptor blob : unique.values()) uploads.add(() -> upload(endpoint, target, scopes, blob, source, options, listener));
        runAll(uploads);
        if (top.isIndex()) {
            for (RawManifest image : images) putManifest(endpoint, target, image, image.descriptor().digest().toString(), scopes);
        }
        return putManifest(endpoint, target, top, target.manifestReference(), scopes);
    }

    private static RawManifest readManifest(BlobSource source, Descriptor descriptor, Reference target) {
        byte[] bytes;
        try (InputStream in = source.open(descriptor.digest())) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw new RegistryException("cannot read manifest " + descriptor.digest() + " for " + target + ": " + RegistryHttp.describe(e), e);
        }
        if (!descriptor.digest().ofContent(bytes).equals(descriptor.digest()))
            throw new RegistryException("manifest " + descriptor.digest() + " for " + target + " does not match its digest");
        return RawManifest.of(bytes, descriptor.digest(), descriptor.mediaType(), descriptor.digest().toString());
    }

    private void upload(Endpoint endpoint, Reference target, List<String> scopes, Descriptor blob, BlobSource source,
                        PushOptions options, ProgressListener listener) {
        String base = "/v2/" + target.path() + "/blobs/";
        HttpResponse<InputStream> head = http.send(endpoint, "HEAD", endpoint.resolve(base + blob.digest()), scopes, null);
        RegistryHttp.discard(head);
        if (head.statusCode() == 200) {
            listener.skipped(blob);
            return;
        }
        String what = "pushing blob " + blob.digest() + " to " + target.repository();
        String start = base + "uploads/";
        boolean mounting = options.mountFrom() != null && !options.mountFrom().equals(target.path());
        if (mounting) start += "?mount=" + RegistryHttp.encode(blob.digest().toString()) + "&from=" + RegistryHttp.encode(options.mountFrom());
        URI startUri = endpoint.resolve(start);
        HttpResponse<InputStream> started = http.send(endpoint, "POST", startUri, scopes, BodyPublishers::noBody);
        if (mounting && started.statusCode() == 201) {
            RegistryHttp.discard(started);
            listener.mounted(blob, options.mountFrom());
            return;
        }
        if (started.statusCode() != 202) throw http.failure(endpoint, started, what);
        RegistryHttp.discard(started);
        URI location = location(started, startUri, what);
        listener.started(blob);
        try {
            HttpResponse<InputStream> finished = options.chunkSize() > 0
                    ? uploadChunks(endpoint, scopes, blob, source, options.chunkSize(), location, what, listener)
                    : http.send(endpoint, "PUT", withDigest(location, blob), scopes,
                            () -> BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> counted(source, blob, listener)), blob.size()),
                            "Content-Type", "application/octet-stream");
            if (finished.statusCode() != 201) throw http.failure(endpoint, finished, what);
            RegistryHttp.discard(finished);
        } catch (UncheckedIOException e) {
            throw new RegistryException(what + ": reading it failed: " + RegistryHttp.describe(e.getCause()), e);
        }
        listener.done(blob);
    }

    /** PATCH after PATCH with Content-Range, each to the location the last answer gave, then the closing PUT. */
    private HttpResponse<InputStream> uploadChunks(Endpoint endpoint, List<String> scopes, Descriptor blob, BlobSource source, long chunkSize,
                                                   URI location, String what, ProgressListener listener) {
        byte[] chunk = new byte[(int) Math.min(chunkSize, Math.max(1, blob.size()))];
        URI next = location;
        long sent = 0;
        try (InputStream in = source.open(blob.digest())) {
            while (sent < blob.size()) {
                int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, blob.size() - sent));
                if (n == 0) throw new RegistryException(what + ": its content ends after " + sent + " of " + blob.size() + " bytes");
                int length = n;
                HttpResponse<InputStream> patched = http.send(endpoint, "PATCH", next, scopes, () -> BodyPublishers.ofByteArray(chunk, 0, length),
                        "Content-Type", "application/octet-stream", "Content-Range", sent + "-" + (sent + n - 1));
                if (patched.statusCode() != 202) throw http.failure(endpoint, patched, what);
                RegistryHttp.discard(patched);
                next = location(patched, next, what);
                sent += n;
                listener.bytes(blob, sent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return http.send(endpoint, "PUT", withDigest(next, blob), scopes, BodyPublishers::noBody);
    }

    private static InputStream counted(BlobSource source, Descriptor blob, ProgressListener listener) {
        try {
            return new FilterInputStream(source.open(blob.digest())) {
                private long count;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    BlobStream.cancelled();
                    int n = super.read(b, off, len);
                    if (n > 0) listener.bytes(blob, count += n);
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URI location(HttpResponse<InputStream> response, URI request, String what) {
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) throw new RegistryException(what + ": the registry gave no upload location");
        return request.resolve(location);
    }

    private static URI withDigest(URI location, Descriptor blob) {
        String uri = location.toString();
        return URI.create(uri + (uri.contains("?") ? "&" : "?") + "digest=" + RegistryHttp.encode(blob.digest().toString()));
    }

    private Digest putManifest(Endpoint endpoint, Reference target, RawManifest manifest, String tagOrDigest, List<String> scopes) {
        HttpResponse<InputStream> response = http.send(endpoint, "PUT", manifestUri(endpoint, target, tagOrDigest), scopes,
                () -> BodyPublishers.ofByteArray(manifest.bytes()), "Content-Type", manifest.descriptor().mediaType());
        if (response.statusCode() != 201) throw http.failure(endpoint, response, "pushing manifest " + manifest.descriptor().digest() + " to " + target);
        RegistryHttp.discard(response);
        return manifest.descriptor().digest();
    }

    // ---- login ----

    /**
     * Checks the credentials against the registry ({@code docker.io}, {@code localhost:5000}) and stores them in
     * the auth config. A registry that asks for no credentials takes any, as with Docker.
     */
    public void login(String registry, Credentials creds) {
        String domain = DockerConfig.domainOf(registry);
        Endpoint endpoint = Endpoint.of(domain, options.insecureRegistries());
        try (RegistryHttp check = new RegistryHttp(d -> creds)) {
            HttpResponse<InputStream> response = check.send(endpoint, "GET", endpoint.resolve("/v2/"), List.of(), null);
            if (response.statusCode() != 200) throw check.failure(endpoint, response, "login to " + domain);
            RegistryHttp.discard(response);
        }
        config.store(domain, creds);
        credentials.remove(domain);
        http.forget(domain);
    }

    /** Forgets the registry's stored credentials; false if there were none. */
    public boolean logout(String registry) {
        String domain = DockerConfig.domainOf(registry);
        credentials.remove(domain);
        http.forget(domain);
        return config.remove(domain);
    }

    // ---- common ----

    private Endpoint endpoint(Reference reference) {
        return Endpoint.of(reference.domain(), options.insecureRegistries());
    }

    private static String scope(Reference reference, String actions) {
        return "repository:" + reference.path() + ":" + actions;
    }

    private static URI manifestUri(Endpoint endpoint, Reference reference, String tagOrDigest) {
        return endpoint.resolve("/v2/" + reference.path() + "/manifests/" + tagOrDigest);
    }

    /**
     * Runs the transfers on a small pool. The first failure interrupts the others, which stop at their next read,
     * and is thrown once they have: no transfer goes on writing after the call returned.
     */
    private void runAll(List<Runnable> transfers) {
        if (transfers.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallelTransfers(), transfers.size()));
        try {
            CompletionService<Void> completed = new ExecutorCompletionService<>(pool);
            for (Runnable t : transfers) completed.submit(t, null);
            for (int i = 0; i < transfers.size(); i++) {
                try {
                    completed.take().get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new RegistryException(e.getCause().toString(), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted", e);
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
