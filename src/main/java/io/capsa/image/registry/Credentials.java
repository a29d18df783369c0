package io.capsa.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or access token) for one registry. */
public record Credentials(String username, String password) {
    @Override
    public String toString() {
        return "Credentials[" + username + "]"; // never the password, should this end up in a log
    }

    /** The value of a Basic Authorization header, also the {@code auth} field of Docker's config.json. */
    String basic() {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** From a config.json {@code auth} value; null if it is not base64 of user:password. */
    static Credentials fromBasic(String auth) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon <= 0 ? null : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
