package io.capsa.image;

import java.util.List;
import java.util.Map;

/** An OCI image index or a Docker manifest list: one manifest per platform. */
public record ImageIndex(String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    /** The manifest for a platform; an empty variant in the wanted platform matches any. */
    public Descriptor select(Platform wanted) {
        for (Descriptor d : manifests) {
            Platform p = d.platform();
            if (p != null && p.os().equals(wanted.os()) && p.architecture().equals(wanted.architecture())
                    && (wanted.variant().isEmpty() || wanted.variant().equals(p.variant()))) return d;
        }
        throw new ImageException("no manifest for platform " + wanted + " in the index (it has "
                + platforms() + ")");
    }

    private String platforms() {
        StringBuilder s = new StringBuilder();
        for (Descriptor d : manifests) {
            if (d.platform() == null) continue;
            if (!s.isEmpty()) s.append(", ");
            s.append(d.platform());
        }
        return s.isEmpty() ? "none" : s.toString();
    }
}
