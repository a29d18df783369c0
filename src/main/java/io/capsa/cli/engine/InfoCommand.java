package io.capsa.cli.engine;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.cli.Version;
import io.capsa.engine.Engine;
import io.capsa.linux.FileText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** docker info's lines that capsa has, each read from the host as Docker reads it. */
final class InfoCommand implements Command {

    @Override
    public String names() {
        return "info";
    }

    @Override
    public Usage usage() {
        return new Usage("Display system-wide information", "");
    }

    @Override
    public int run(Globals globals, Args args) throws IOException {
        StringBuilder b = new StringBuilder();
        int running = 0, paused = 0, stopped = 0;
        for (Engine.Container c : globals.engine().list(true)) {
            switch (c.state().status()) {
                case RUNNING -> running++;
                case PAUSED -> paused++;
                default -> stopped++;
            }
        }
        line(b, "Containers", Integer.toString(running + paused + stopped));
        line(b, " Running", Integer.toString(running));
        line(b, " Paused", Integer.toString(paused));
        line(b, " Stopped", Integer.toString(stopped));
        line(b, "Server Version", Version.capsa());
        line(b, "Storage Driver", "overlay");
        line(b, "Cgroup Driver", "cgroupfs");
        line(b, "Cgroup Version", CgroupLayout.detect().unifiedOnly() ? "2" : "1");
        line(b, "Default Runtime", "capsa-runtime");
        line(b, "Kernel Version", FileText.read(Path.of("/proc/sys/kernel/osrelease")).strip());
        line(b, "Operating System", operatingSystem());
        line(b, "OSType", "linux");
        line(b, "CPUs", Integer.toString(cpus()));
        line(b, "Total Memory", Units.bytesSize(memTotalKiB() * 1024));
        line(b, "Data Root", globals.dataRoot().toString());
        line(b, "Run Root", globals.runRoot().toString());
        line(b, "Runtime Root", globals.runtimeRoot().toString());
        return Main.print(b.toString());
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(name).append(": ").append(value).append('\n');
    }

    /** PRETTY_NAME of os-release(5), /etc's or else /usr/lib's. */
    private static String operatingSystem() throws IOException {
        for (String file : new String[] {"/etc/os-release", "/usr/lib/os-release"}) {
            Path path = Path.of(file);
            if (!Files.exists(path)) continue;
            for (String line : FileText.read(path).split("\n")) {
                if (line.startsWith("PRETTY_NAME=")) return unquote(line.substring("PRETTY_NAME=".length()));
            }
        }
        return "<unknown>";
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'') && value.endsWith(value.substring(0, 1));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    /** The CPUs this process may run on (Go's runtime.NumCPU, which Docker shows): Cpus_allowed_list. */
    private static int cpus() throws IOException {
        return countList(status("Cpus_allowed_list:", Path.of("/proc/self/status")));
    }

    /** "0-3,8,10-11" -> 7. */
    static int countList(String list) {
        int count = 0;
        for (String range : list.split(",")) {
            int dash = range.indexOf('-');
            count += dash < 0 ? 1 : Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
        }
        return count;
    }

    private static long memTotalKiB() throws IOException {
        String value = status("MemTotal:", Path.of("/proc/meminfo"));
        return Long.parseLong(value.substring(0, value.indexOf(' ')));
    }

    /** The value of a "Name:  value" line of a /proc file. */
    private static String status(String name, Path file) throws IOException {
        for (String line : FileText.read(file).split("\n")) {
            if (line.startsWith(name)) return line.substring(name.length()).strip();
        }
        throw new IOException(file + ": no " + name + " line");
    }
}
