package io.capsa.image.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A relay in front of the real registry that, like registries backed by object storage, answers a blob GET the
 * registry allowed with a 307 to another host ({@code localhost} rather than {@code 127.0.0.1}), which serves
 * the blob from the registry's storage and records the Authorization header it was sent.
 */
final class RedirectingFront implements AutoCloseable {
    private static final List<String> REQUEST_HEADERS = List.of("Authorization", "Accept", "Range", "Content-Type");
    private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Docker-Content-Digest", "WWW-Authenticate", "Location", "Content-Range");
    /** What the storage host was sent as Authorization for each blob ("none" if nothing). */
    final List<String> storageAuthorization = new CopyOnWriteArrayList<>();
    private final LocalRegistry registry;
    private final HttpServer front;
    private final HttpServer storage;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    RedirectingFront(LocalRegistry registry) throws IOException {
        this.registry = registry;
        front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        front.createContext("/", this::relay);
        front.start();
        storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        storage.createContext("/", this::serveBlob);
        storage.start();
    }

    String domain() {
        return "127.0.0.1:" + front.getAddress().getPort();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + registry.domain() + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
            for (String h : REQUEST_HEADERS) {
                String value = exchange.getRequestHeaders().getFirst(h);
                if (value != null) request.header(h, value);
            }
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("GET") && path.contains("/blobs/sha256:") && answer.statusCode() == 200) {
                String digest = path.substring(path.lastIndexOf('/') + 1);
                exchange.getResponseHeaders().set("Location", "http://localhost:" + storage.getAddress().getPort() + "/" + digest);
                exchange.sendResponseHeaders(307, -1);
                exchange.close();
                return;
            }
            for (String h : RESPONSE_HEADERS) answer.headers().firstValue(h).ifPresent(v -> exchange.getResponseHeaders().set(h, v));
            byte[] body = answer.body();
            boolean empty = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : body.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void serveBlob(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        storageAuthorization.add(authorization == null ? "none" : authorization);
        byte[] blob = Files.readAllBytes(registry.blobData(exchange.getRequestURI().getPath().substring(1)));
        exchange.sendResponseHeaders(200, blob.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(blob);
        }
    }

    @Override
    public void close() {
        front.stop(0);
        storage.stop(0);
        http.close();
    }
}
