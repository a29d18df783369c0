package io.capsa.image.reference;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests as "algorithm:hex" strings, the form manifests, registries and stores use. */
public final class Digests {
    private Digests() {}

    /** The digest itself if well formed: sha256, sha384 or sha512 with its exact number of lowercase hex digits. */
    public static String check(String digest) {
        int colon = digest.indexOf(':');
        String algorithm = colon < 0 ? "" : digest.substring(0, colon);
        int length = switch (algorithm) {
            case "sha256" -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            default -> throw new ReferenceException("invalid digest \"" + digest + "\": " +
                    (colon < 0 ? "expected algorithm:hex" : "unsupported digest algorithm \"" + algorithm + "\""));
        };
        String hex = digest.substring(colon + 1);
        if (hex.length() != length || !lowerHex(hex))
            throw new ReferenceException("invalid digest \"" + digest + "\": " + algorithm + " needs " + length + " lowercase hex digits");
        return digest;
    }

    /** A fresh hash for the digest's algorithm. */
    public static MessageDigest hasher(String digest) {
        return hash(check(digest).substring(3, digest.indexOf(':')));
    }

    private static MessageDigest hash(String bits) {
        try {
            return MessageDigest.getInstance("SHA-" + bits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256/384/512
        }
    }

    /** "algorithm:hex" of what the hasher has seen; the algorithm's name is taken from the expected digest. */
    public static String finish(MessageDigest hasher, String expected) {
        return expected.substring(0, expected.indexOf(':') + 1) + HexFormat.of().formatHex(hasher.digest());
    }

    /** The digest of {@code content} by the algorithm {@code expected} names, to compare with it. */
    public static String of(byte[] content, String expected) {
        MessageDigest hasher = hasher(expected);
        hasher.update(content);
        return finish(hasher, expected);
    }

    public static String sha256(byte[] content) {
        return "sha256:" + HexFormat.of().formatHex(hash("256").digest(content));
    }

    static boolean lowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return !s.isEmpty();
    }
}
