package io.capsa.runtime;

import java.util.Locale;

/** The lifecycle states of the OCI runtime spec. */
public enum Status {
    CREATING, CREATED, RUNNING, PAUSED, STOPPED;

    /** The spec's lower-case name, as `state` prints it. */
    public String specName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
