package io.capsa.runtime;

import java.util.regex.Pattern;

/** Container ids become directory names under the state root, so they are checked before any use. */
public final class ContainerId {
    private ContainerId() {}

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]*");
    public static final int MAX_LENGTH = 200;

    public static String validate(String id) {
        if (id == null || id.isEmpty()) throw new CapsaException("container id cannot be empty");
        if (id.length() > MAX_LENGTH)
            throw new CapsaException("invalid container id: longer than " + MAX_LENGTH + " characters");
        if (!VALID.matcher(id).matches() || id.contains(".."))
            throw new CapsaException("invalid container id \"" + id + "\": use letters, digits and _ . + - only");
        return id;
    }
}
