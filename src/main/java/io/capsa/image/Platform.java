package io.capsa.image;

/**
 * An os/architecture[/variant] as manifest lists and OCI indexes name them. Architectures are spelled as Go
 * does (amd64, arm64, 386); {@link #parse} also takes the kernel's and Debian's spellings (x86_64, aarch64, armhf).
 */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        if (variant == null) variant = "";
    }

    /** {@code linux/arm64/v8}, {@code linux/amd64}, {@code arm64} (Linux implied). */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length > 3 || text.isEmpty())
            throw new ImageException("invalid platform \"" + text + "\": expected os/arch[/variant]");
        for (String part : parts) {
            if (part.isEmpty()) throw new ImageException("invalid platform \"" + text + "\": expected os/arch[/variant]");
        }
        if (parts.length == 1) return normalize("linux", parts[0], "");
        return normalize(parts[0].toLowerCase(), parts[1], parts.length == 3 ? parts[2] : "");
    }

    /** The platform this JVM runs on. */
    public static Platform host() {
        return normalize("linux", System.getProperty("os.arch"), "");
    }

    private static Platform normalize(String os, String architecture, String variant) {
        String arch = architecture.toLowerCase();
        String v = variant.toLowerCase();
        switch (arch) {
            case "x86_64", "x86-64" -> arch = "amd64";
            case "aarch64" -> arch = "arm64";
            case "i386", "i686", "x86" -> arch = "386";
            case "armhf" -> {
                arch = "arm";
                if (v.isEmpty()) v = "v7";
            }
            case "armel" -> {
                arch = "arm";
                if (v.isEmpty()) v = "v6";
            }
            default -> {}
        }
        if (!v.isEmpty() && Character.isDigit(v.charAt(0))) v = "v" + v;
        return new Platform(os, arch, v);
    }

    /**
     * Whether an image for {@code offered} runs here. A missing variant means the architecture's baseline, so
     * arm64 and arm64/v8 are the same, but arm/v6 is not arm/v7.
     */
    public boolean matches(Platform offered) {
        Platform o = normalize(offered.os, offered.architecture, offered.variant);
        return os.equals(o.os) && architecture.equals(o.architecture) && baseline(variant).equals(baseline(o.variant));
    }

    private String baseline(String v) {
        if (!v.isEmpty()) return v;
        return switch (architecture) {
            case "arm64" -> "v8";
            case "arm" -> "v7";
            case "amd64" -> "v1";
            default -> "";
        };
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
