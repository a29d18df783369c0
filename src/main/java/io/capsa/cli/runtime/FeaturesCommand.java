package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;
import io.capsa.cli.Version;
import io.capsa.seccomp.Action;
import io.capsa.seccomp.Arch;
import io.capsa.seccomp.Comparison;
import io.capsa.seccomp.FilterFlag;
import io.capsa.spec.Capabilities;
import io.capsa.spec.Hook;
import io.capsa.spec.Json;
import io.capsa.spec.MountOptions;
import io.capsa.spec.NamespaceType;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runtime-spec features document: exactly what this build of capsa honours. */
final class FeaturesCommand implements Command {
    private static final String OCI_VERSION_MIN = "1.0.0";

    @Override
    public Usage usage() {
        return new Usage("Print the features this runtime supports, as JSON.", "");
    }

    @Override
    public int run(Main main, Args args) {
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", Arrays.stream(NamespaceType.values()).map(NamespaceType::specName).sorted().toList());
        linux.put("capabilities", Capabilities.NAMES);
        linux.put("cgroup", Map.of("v1", true, "v2", true, "systemd", false, "systemdUser", false, "rdma", false));
        linux.put("seccomp", seccomp());
        linux.put("apparmor", Map.of("enabled", false));
        linux.put("selinux", Map.of("enabled", false));
        linux.put("intelRdt", Map.of("enabled", false));
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("ociVersionMin", OCI_VERSION_MIN);
        features.put("ociVersionMax", Version.OCI_SPEC);
        features.put("hooks", Hook.POINTS);
        features.put("mountOptions", List.copyOf(MountOptions.names()));
        features.put("linux", linux);
        features.put("annotations", Map.of());
        System.out.println(Json.pretty(features));
        return Exit.OK;
    }

    private static Map<String, Object> seccomp() {
        List<String> flags = Arrays.stream(FilterFlag.values()).map(FilterFlag::specName).toList();
        Map<String, Object> seccomp = new LinkedHashMap<>();
        seccomp.put("enabled", true);
        seccomp.put("actions", Action.names());
        seccomp.put("operators", Arrays.stream(Comparison.values()).map(Comparison::specName).sorted().toList());
        seccomp.put("archs", Arrays.stream(Arch.values()).map(Arch::specName).sorted().toList());
        seccomp.put("knownFlags", flags);
        seccomp.put("supportedFlags", flags);
        return seccomp;
    }
}
