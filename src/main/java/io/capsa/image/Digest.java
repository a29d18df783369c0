package io.capsa.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content digest, "algorithm:hex": sha256 (what images use in practice and what capsa makes), or sha384 or
 * sha512 (which registries accept in references and manifests), with its exact number of lower-case hex digits.
 */
public record Digest(String algorithm, String hex) {
    public static final String SHA256 = "sha256";

    public Digest {
        int length = hexLength(algorithm);
        if (length < 0) throw new ImageException("invalid digest \"" + algorithm + ":" + hex + "\": unsupported digest algorithm \"" + algorithm + "\"");
        if (hex.length() != length || !lowerHex(hex))
            throw new ImageException("invalid digest \"" + algorithm + ":" + hex + "\": " + algorithm + " needs " + length + " lowercase hex digits");
    }

    /** "algorithm:hex"; any other form is refused, naming the text. */
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) throw new ImageException("invalid digest \"" + text + "\": expected algorithm:hex");
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The sha256 of the bytes. */
    public static Digest of(byte[] bytes) {
        MessageDigest sha = sha256();
        sha.update(bytes);
        return of(sha);
    }

    /** What the hasher has seen, by its algorithm (one of {@link #hasher()}'s or {@link #sha256()}). */
    public static Digest of(MessageDigest finished) {
        String name = finished.getAlgorithm(); // "SHA-256"
        return new Digest("sha" + name.substring(name.indexOf('-') + 1), HexFormat.of().formatHex(finished.digest()));
    }

    public static MessageDigest sha256() {
        return hash("256");
    }

    /** A fresh hash for this digest's algorithm. */
    public MessageDigest hasher() {
        return hash(algorithm.substring(3));
    }

    /** The digest of the bytes by this digest's algorithm, to compare with it. */
    public Digest ofContent(byte[] bytes) {
        MessageDigest h = hasher();
        h.update(bytes);
        return of(h);
    }

    /** A 64-digit hex string, which Docker takes for an image ID. */
    public static boolean isSha256Hex(String text) {
        return text.length() == 64 && lowerHex(text);
    }

    private static MessageDigest hash(String bits) {
        try {
            return MessageDigest.getInstance("SHA-" + bits);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e); // every JDK has SHA-256/384/512
        }
    }

    private static int hexLength(String algorithm) {
        return switch (algorithm) {
            case SHA256 -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            default -> -1;
        };
    }

    private static boolean lowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    /** Written out: a record's own equals and hashCode link through method handles, ~40 ms of a CLI call's first. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && hex.equals(d.hex) && algorithm.equals(d.algorithm);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }
}
