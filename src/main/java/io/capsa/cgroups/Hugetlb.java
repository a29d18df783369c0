package io.capsa.cgroups;

import io.capsa.spec.Resources;

import java.util.Map;

/** hugetlb: v1 names its files hugetlb.2MB.limit_in_bytes, v2 hugetlb.2MB.max. */
public final class Hugetlb implements Controller {
    private final String limitSuffix, usageSuffix;

    public Hugetlb(boolean v2) {
        this.limitSuffix = v2 ? "max" : "limit_in_bytes";
        this.usageSuffix = v2 ? "current" : "usage_in_bytes";
    }

    @Override
    public void apply(Resources r, CgroupDir dir) {
        for (Resources.HugepageLimit h : r.hugepageLimits()) dir.write("hugetlb." + h.pageSize() + "." + limitSuffix, h.limit());
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        Map<String, Object> sizes = new java.util.LinkedHashMap<>();
        try (var files = java.nio.file.Files.list(dir.path())) {
            for (String name : files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("hugetlb.") && n.endsWith("." + usageSuffix)).sorted().toList()) {
                sizes.put(name.split("\\.")[1], Map.of("usage", dir.number(name)));
            }
        } catch (java.io.IOException e) {
            return;
        }
        stats.put("hugetlb", sizes);
    }
}
