package io.capsa.cli;

/** What both commands report as their version: capsa's, and the newest runtime-spec version it honours. */
public final class Version {
    public static final String OCI_SPEC = "1.2.0";

    private Version() {}

    /** The jar's Implementation-Version, or "dev" where the manifest has none (a build from source). */
    public static String capsa() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
