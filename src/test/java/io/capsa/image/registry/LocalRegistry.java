package io.capsa.image.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry on 127.0.0.1 on a free port, storing under a directory of the test's own; stopped
 * (by its process handle) and the directory removed on close.
 */
final class LocalRegistry implements AutoCloseable {
    final Path dir;
    final int port;
    private final Process process;

    /** {@code auth} is the YAML of the config's auth section (indented by two spaces), or empty for none. */
    LocalRegistry(Path dir, String auth) throws IOException {
        this(dir, auth, null);
    }

    /** With {@code tlsName}, https only, with a self-signed certificate for that host name that nobody trusts. */
    LocalRegistry(Path dir, String auth, String tlsName) throws IOException {
        this.dir = dir;
        this.port = Tools.freePort();
        String tls = "";
        if (tlsName != null) {
            Path key = dir.resolve("tls-key.pem");
            Path cert = dir.resolve("tls-cert.pem");
            Tools.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                    "-days", "2", "-subj", "/CN=" + tlsName, "-addext", "subjectAltName=DNS:" + tlsName);
            tls = "  tls:\n    certificate: " + cert + "\n    key: " + key;
        }
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                %s
                %s
                """.formatted(dir.resolve("storage"), port, tls, auth));
        process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        awaitListening();
    }

    String domain() {
        return "127.0.0.1:" + port;
    }

    /** The file holding a blob's bytes in the registry's storage. */
    Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("storage/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        throw new IOException("docker-registry did not listen on " + port);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Tools.deleteTree(dir);
    }
}
