package io.capsa.image.registry;

import io.capsa.image.reference.Reference;

import java.net.URI;
import java.util.Set;

/**
 * One registry as the client talks to it: the name references use ({@code docker.io}, {@code localhost:5000})
 * and the base URI. Plain http only for the loopback and registries the user named insecure: a registry that
 * is neither gets TLS, verified, and no fallback.
 */
record Endpoint(String domain, URI base) {
    static Endpoint of(String domain, Set<String> insecure) {
        String host = Reference.registryHost(domain);
        boolean plain = loopback(hostName(domain)) || insecure.contains(domain) || insecure.contains(hostName(domain));
        return new Endpoint(domain, URI.create((plain ? "http://" : "https://") + host));
    }

    URI resolve(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    /** The host without its port: {@code localhost}, {@code 127.0.0.1}, {@code ::1}. */
    static String hostName(String domain) {
        if (domain.startsWith("[")) return domain.substring(1, domain.indexOf(']'));
        int colon = domain.indexOf(':');
        return colon < 0 ? domain : domain.substring(0, colon);
    }

    private static boolean loopback(String host) {
        if (host.equals("localhost") || host.equals("::1")) return true;
        if (!host.startsWith("127.")) return false;
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) return false;
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit) || Integer.parseInt(o) > 255) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return domain;
    }
}
