package io.capsa.image.reference;

import io.capsa.image.Digest;
import io.capsa.image.ImageException;

/**
 * An image reference normalized as Docker does (distribution/reference): {@code busybox} is
 * {@code docker.io/library/busybox:latest}. A reference with a digest names exactly that content; its tag, if
 * any, is kept only to be shown.
 *
 * @param domain the registry as written: a host name, IPv4 address or [IPv6] address, with an optional port
 * @param path   the repository inside the registry, {@code library/busybox}
 * @param tag    null when the reference has only a digest
 * @param digest null unless given after {@code @}
 */
public record Reference(String domain, String path, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_TAG_LENGTH = 128;

    public static Reference parse(String text) {
        if (text.isEmpty()) throw invalid(text, "it is empty");
        if (Digest.isSha256Hex(text))
            throw invalid(text, "a 64-digit hexadecimal string is an image ID, not a repository name");
        int at = text.indexOf('@');
        Digest digest = null;
        String name = text;
        if (at >= 0) {
            name = text.substring(0, at);
            try {
                digest = Digest.parse(text.substring(at + 1));
            } catch (ImageException e) {
                throw invalid(text, e.getMessage());
            }
        }
        String tag = null;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
            checkTag(text, tag);
        }
        if (tag == null && digest == null) tag = "latest";

        String domain = DOCKER_HUB;
        String path = name;
        int slash = name.indexOf('/');
        if (slash >= 0 && looksLikeDomain(name.substring(0, slash))) {
            domain = name.substring(0, slash);
            path = name.substring(slash + 1);
            checkDomain(text, domain);
        }
        if (domain.equals("index.docker.io")) domain = DOCKER_HUB;
        if (domain.equals(DOCKER_HUB) && path.indexOf('/') < 0) path = "library/" + path;
        checkPath(text, path);
        if (domain.length() + 1 + path.length() > MAX_NAME_LENGTH)
            throw invalid(text, "the repository name is longer than " + MAX_NAME_LENGTH + " characters");
        return new Reference(domain, path, tag, digest);
    }

    /** Docker's rule: a first component is a registry if it has a dot or a colon, is localhost, or has an uppercase letter. */
    private static boolean looksLikeDomain(String first) {
        return first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost") || !first.toLowerCase().equals(first);
    }

    /** {@code docker.io/library/busybox}: the repository across registries, also the key of its bearer tokens. */
    public String repository() {
        return domain + "/" + path;
    }

    /** The host (and port) to connect to: Docker Hub's API is served from registry-1.docker.io. */
    public String registryHost() {
        return registryHost(domain);
    }

    public static String registryHost(String domain) {
        return domain.equals(DOCKER_HUB) ? "registry-1.docker.io" : domain;
    }

    /** The tag or digest the registry's manifest endpoint takes: the digest when there is one. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    public Reference withTag(String newTag) {
        checkTag(newTag, newTag);
        return new Reference(domain, path, newTag, null);
    }

    public Reference withDigest(Digest newDigest) {
        return new Reference(domain, path, tag, newDigest);
    }

    /**
     * As Docker shows a name (reference.FamiliarString): busybox:latest for docker.io/library/busybox:latest,
     * user/repo:1 for docker.io/user/repo:1; library/ stays before a path of more components.
     */
    public String familiar() {
        return familiarRepository() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** The repository as Docker shows it: "busybox", "user/app", "localhost:5000/x". */
    public String familiarRepository() {
        if (!domain.equals(DOCKER_HUB)) return repository();
        return path.startsWith("library/") && path.indexOf('/', "library/".length()) < 0 ? path.substring("library/".length()) : path;
    }

    @Override
    public String toString() {
        return repository() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    private static void checkTag(String text, String tag) {
        if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH)
            throw invalid(text, "a tag has 1 to " + MAX_TAG_LENGTH + " characters");
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (!(word(c) || i > 0 && (c == '.' || c == '-')))
                throw invalid(text, "tag \"" + tag + "\" may have only letters, digits, _ and (not first) . and -");
        }
    }

    /** host[:port] where host is dot-separated labels or an [IPv6] address. */
    private static void checkDomain(String text, String domain) {
        String host = domain;
        int portColon;
        if (domain.startsWith("[")) {
            int close = domain.indexOf(']');
            if (close < 0 || !ipv6(domain.substring(1, close))) throw invalid(text, "bad IPv6 address in \"" + domain + "\"");
            host = null;
            portColon = close + 1 < domain.length() ? close + 1 : -1;
            if (portColon > 0 && domain.charAt(portColon) != ':') throw invalid(text, "bad registry address \"" + domain + "\"");
        } else {
            portColon = domain.indexOf(':');
            if (portColon >= 0) host = domain.substring(0, portColon);
        }
        if (portColon >= 0) {
            String port = domain.substring(portColon + 1);
            if (port.isEmpty() || port.length() > 5 || !digits(port) || Integer.parseInt(port) > 65535)
                throw invalid(text, "bad port in registry address \"" + domain + "\"");
        }
        if (host != null) {
            for (String label : host.split("\\.", -1)) {
                if (!hostLabel(label)) throw invalid(text, "bad registry host name \"" + host + "\"");
            }
        }
    }

    private static void checkPath(String text, String path) {
        if (!path.toLowerCase().equals(path)) throw invalid(text, "repository name must be lowercase");
        for (String component : path.split("/", -1)) {
            if (!pathComponent(component))
                throw invalid(text, "repository name component \"" + component + "\" must be lowercase letters and digits, " +
                        "separated by one . or _, two _ or any number of -");
        }
    }

    /** [a-z0-9]+ ( ( [._] | __ | -+ ) [a-z0-9]+ )* */
    private static boolean pathComponent(String c) {
        int i = 0;
        int n = c.length();
        while (true) {
            int start = i;
            while (i < n && (c.charAt(i) >= 'a' && c.charAt(i) <= 'z' || c.charAt(i) >= '0' && c.charAt(i) <= '9')) i++;
            if (i == start) return false;
            if (i == n) return true;
            char s = c.charAt(i);
            if (s == '.') i++;
            else if (s == '_') i += i + 1 < n && c.charAt(i + 1) == '_' ? 2 : 1;
            else if (s == '-') while (i < n && c.charAt(i) == '-') i++;
            else return false;
        }
    }

    /** Letters, digits and inner hyphens, as Docker allows (uppercase included). */
    private static boolean hostLabel(String label) {
        if (label.isEmpty() || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') return false;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128 || c == '-')) return false;
        }
        return true;
    }

    private static boolean ipv6(String address) {
        if (address.isEmpty() || address.indexOf(':') < 0) return false;
        for (int i = 0; i < address.length(); i++) {
            char c = Character.toLowerCase(address.charAt(i));
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == ':' || c == '.')) return false;
        }
        return true;
    }

    private static boolean word(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    private static ReferenceException invalid(String text, String reason) {
        return new ReferenceException("invalid reference format \"" + text + "\": " + reason);
    }
}
