package io.capsa.image.registry;

import io.capsa.image.reference.Reference;
import io.capsa.spec.Json;
import io.capsa.spec.Node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registry credentials in Docker's config.json: {@code {"auths": {"host:port": {"auth": base64(user:password)}}}},
 * read from a file Docker wrote too. Other members of the file are kept when it is rewritten. Credential helpers
 * ({@code credsStore}, {@code credHelpers}) are not consulted.
 */
public final class DockerConfig {
    /** Docker keeps Docker Hub's credentials under its v1 index address. */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    private final Path file;

    public DockerConfig(Path file) {
        this.file = file;
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}, as Docker looks. */
    public static Path defaultPath() {
        String dir = System.getenv("DOCKER_CONFIG");
        return dir != null && !dir.isEmpty() ? Path.of(dir, "config.json") : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    public Path file() {
        return file;
    }

    /** The credentials stored for a registry ({@code docker.io}, {@code localhost:5000}), or null. */
    public Credentials credentials(String domain) {
        if (!Files.exists(file)) return null;
        for (Map.Entry<String, Node> e : Json.read(file).get("auths").entries().entrySet()) {
            if (!domainOf(e.getKey()).equals(domain)) continue;
            String auth = e.getValue().get("auth").string(null);
            Credentials c = auth == null ? null : Credentials.fromBasic(auth);
            if (c != null) return c;
        }
        return null;
    }

    /** Stores the credentials, replacing the file atomically, readable by its owner only (0600). */
    public void store(String domain, Credentials credentials) {
        Map<String, Object> root = read();
        Map<String, Object> auths = auths(root);
        auths.keySet().removeIf(key -> domainOf(key).equals(domain));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("auth", credentials.basic());
        auths.put(domain.equals(Reference.DOCKER_HUB) ? DOCKER_HUB_KEY : domain, entry);
        write(root);
    }

    /** Forgets a registry's credentials; false if none were stored. */
    public boolean remove(String domain) {
        if (!Files.exists(file)) return false;
        Map<String, Object> root = read();
        if (!auths(root).keySet().removeIf(key -> domainOf(key).equals(domain))) return false;
        write(root);
        return true;
    }

    /** A config key ({@code https://index.docker.io/v1/}, {@code http://host:5000}, {@code host:5000}) as a registry name. */
    static String domainOf(String key) {
        String k = key;
        int scheme = k.indexOf("://");
        if (scheme >= 0) k = k.substring(scheme + 3);
        int slash = k.indexOf('/');
        if (slash >= 0) k = k.substring(0, slash);
        return k.equals("index.docker.io") || k.equals("registry-1.docker.io") ? Reference.DOCKER_HUB : k;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read() {
        if (!Files.exists(file)) return new LinkedHashMap<>();
        Object raw = Json.read(file).raw();
        if (!(raw instanceof Map)) throw new RegistryException(file + ": expected a JSON object");
        return (Map<String, Object>) raw;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> auths(Map<String, Object> root) {
        Object auths = root.get("auths");
        if (auths instanceof Map) return (Map<String, Object>) auths;
        Map<String, Object> fresh = new LinkedHashMap<>();
        root.put("auths", fresh);
        return fresh;
    }

    private void write(Map<String, Object> root) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir))
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path temp = Files.createTempFile(dir, ".config", ".json", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, Json.pretty(root) + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new RegistryException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
