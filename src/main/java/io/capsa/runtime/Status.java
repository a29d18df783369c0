package io.capsa.runtime;

/** The lifecycle states of the OCI runtime spec. */
public enum Status {
    CREATING("creating"), CREATED("created"), RUNNING("running"), PAUSED("paused"), STOPPED("stopped");

    private final String specName;

    Status(String specName) {
        this.specName = specName;
    }

    /** The spec's lower-case name, as `state` prints it. */
    public String specName() {
        return specName;
    }
}
