package io.capsa.engine.config;

import io.capsa.cgroups.CgroupDir;
import io.capsa.linux.FileText;
import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's /etc/hostname, /etc/hosts and /etc/resolv.conf, written into its directory and
 * bind-mounted over the image's, as Docker does.
 */
final class EtcFiles {
    private EtcFiles() {}

    static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    /** What systemd-resolved's stub (127.0.0.53) forwards to: the host's real servers, as Docker reads them. */
    private static final Path RESOLVED_CONF = Path.of("/run/systemd/resolve/resolv.conf");
    private static final List<String> FALLBACK_DNS = List.of("8.8.8.8", "8.8.4.4");

    static final String LOCALHOST = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    /**
     * Docker's /etc/hosts: the localhost lines (the host's file with the host's network), each --add-host
     * ("name:ip"), and the container's own name on 127.0.0.1 while it has no network address of its own.
     */
    static String hosts(String hostname, List<String> extraHosts, String hostsOfHost) {
        StringBuilder b = new StringBuilder(hostsOfHost != null ? hostsOfHost : LOCALHOST);
        if (!b.isEmpty() && b.charAt(b.length() - 1) != '\n') b.append('\n');
        for (String h : extraHosts) {
            int colon = h.indexOf(':');
            b.append(h, colon + 1, h.length()).append('\t').append(h, 0, colon).append('\n');
        }
        if (hostsOfHost == null && !hostname.isEmpty()) b.append("127.0.0.1\t").append(hostname).append('\n');
        return b.toString();
    }

    /**
     * Docker's /etc/resolv.conf: the host's, without loopback name servers (unreachable from the container's
     * own network; kept with the host's network), 8.8.8.8 and 8.8.4.4 when none is left; --dns, --dns-search
     * and --dns-option replace the host's.
     */
    static String resolvConf(String host, HostConfig h, boolean hostNetwork) {
        List<String> servers = new ArrayList<>(), search = new ArrayList<>(), options = new ArrayList<>();
        for (String line : host.split("\n")) {
            List<String> f = CgroupDir.words(line);
            if (f.size() < 2) continue;
            List<String> rest = f.subList(1, f.size());
            switch (f.get(0)) {
                case "nameserver" -> {
                    if (hostNetwork || !loopback(f.get(1))) servers.add(f.get(1));
                }
                case "search", "domain" -> {
                    search.clear();
                    search.addAll(rest);
                }
                case "options" -> options.addAll(rest);
                default -> { }
            }
        }
        if (!h.dns().isEmpty()) servers = new ArrayList<>(h.dns());
        if (servers.isEmpty()) servers.addAll(FALLBACK_DNS);
        if (!h.dnsSearch().isEmpty()) search = h.dnsSearch();
        if (!h.dnsOptions().isEmpty()) options = h.dnsOptions();
        StringBuilder b = new StringBuilder();
        if (!search.isEmpty()) b.append("search ").append(String.join(" ", search)).append('\n');
        for (String s : servers) b.append("nameserver ").append(s).append('\n');
        if (!options.isEmpty()) b.append("options ").append(String.join(" ", options)).append('\n');
        return b.toString();
    }

    private static boolean loopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1");
    }

    /** The host's resolver configuration, systemd-resolved's upstream one when the host's points at its stub. */
    static String hostResolvConf() {
        String conf = readOrEmpty(HOST_RESOLV_CONF);
        if (conf.contains("nameserver 127.0.0.53") && Files.exists(RESOLVED_CONF)) return readOrEmpty(RESOLVED_CONF);
        return conf;
    }

    static String readOrEmpty(Path file) {
        try {
            return FileText.read(file, 1 << 20);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new CapsaException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Writes name into dir (replacing what a previous start wrote) and returns its path. */
    static Path write(Path dir, String name, String content) {
        Path file = dir.resolve(name), tmp = dir.resolve("." + name + ".tmp");
        try {
            Files.writeString(tmp, content);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new CapsaException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
