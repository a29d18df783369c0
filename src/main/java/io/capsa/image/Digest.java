package io.capsa.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A content digest, "sha256:" and 64 lower-case hex digits; the only algorithm images use in practice. */
public record Digest(String hex) {
    public static final String SHA256 = "sha256";

    public Digest {
        if (hex.length() != 64 || !lowerHex(hex)) throw new ImageException("invalid sha256 digest: " + hex);
    }

    /** "sha256:<hex>"; any other algorithm or form is refused, naming the text. */
    public static Digest parse(String text) {
        if (text == null || !text.startsWith(SHA256 + ":")) throw new ImageException("unsupported or invalid digest: " + text);
        String hex = text.substring(SHA256.length() + 1);
        if (hex.length() != 64 || !lowerHex(hex)) throw new ImageException("invalid sha256 digest: " + text);
        return new Digest(hex);
    }

    public static Digest of(byte[] bytes) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(bytes)));
    }

    public static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
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
        return SHA256 + ":" + hex;
    }
}
