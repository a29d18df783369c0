package io.capsa.image;

/** os/architecture[/variant], as a manifest list names the platform of each manifest. */
public record Platform(String os, String architecture, String variant) {
    /** "linux/amd64" or "linux/arm64/v8". */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty())
            throw new ImageException("invalid platform " + text + ": expected os/arch[/variant]");
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
