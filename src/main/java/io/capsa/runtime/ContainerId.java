package io.capsa.runtime;

import io.capsa.spec.Quoted;

/** Container ids become directory names under the state root, so they are checked before any use. */
public final class ContainerId {
    private ContainerId() {}

    public static final int MAX_LENGTH = 200;

    public static String validate(String id) {
        if (isValid(id)) return id;
        if (id == null || id.isEmpty()) throw new CapsaException("container id cannot be empty");
        if (id.length() > MAX_LENGTH)
            throw new CapsaException("invalid container id: longer than " + MAX_LENGTH + " characters");
        throw new CapsaException("invalid container id " + Quoted.of(id) + ": use letters, digits and _ . + - only");
    }

    /** Whether validate takes the id; a directory under the root whose name is not one is no container's. */
    public static boolean isValid(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_LENGTH && validCharacters(id) && !id.contains("..");
    }

    /** [A-Za-z0-9][A-Za-z0-9_.+-]*, checked by hand: a first regex costs a fresh JVM a few ms. */
    private static boolean validCharacters(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alnum && (i == 0 || "_.+-".indexOf(c) < 0)) return false;
        }
        return true;
    }
}
