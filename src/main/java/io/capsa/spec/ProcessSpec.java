package io.capsa.spec;

import java.util.ArrayList;
import java.util.List;

/** The process of a config.json, or of `exec --process`. */
public record ProcessSpec(boolean terminal, ConsoleSize consoleSize, List<String> args, List<String> env, String cwd,
                          User user, Capabilities capabilities, List<Rlimit> rlimits, boolean noNewPrivileges,
                          Integer oomScoreAdj, String apparmorProfile, String selinuxLabel) {

    public record ConsoleSize(long height, long width) {
        public static final ConsoleSize UNSET = new ConsoleSize(0, 0);
    }

    public record User(long uid, long gid, Long umask, List<Long> additionalGids) {}

    public static ProcessSpec parse(Node p) {
        List<String> args = p.get("args").strings();
        if (args.isEmpty()) throw p.get("args").error("must name the program to run");
        String cwd = p.get("cwd").requiredString();
        if (!cwd.startsWith("/")) throw p.get("cwd").error("must be an absolute path");
        for (Node e : p.get("env").list()) {
            if (!e.string("").contains("=")) throw e.error("expected NAME=value");
        }
        Node u = p.get("user");
        long umask = u.get("umask").integer(-1);
        if (umask < -1 || umask > 0777) throw u.get("umask").error("must be between 0 and 0777");
        List<Long> groups = new ArrayList<>();
        for (Node g : u.get("additionalGids").list()) groups.add(g.uint32(0));
        User user = new User(u.get("uid").uint32(0), u.get("gid").uint32(0), umask < 0 ? null : umask, List.copyOf(groups));
        Node size = p.get("consoleSize");
        ConsoleSize consoleSize = size.missing() ? ConsoleSize.UNSET
                : new ConsoleSize(size.get("height").integer(0), size.get("width").integer(0));
        if (consoleSize.height() < 0 || consoleSize.height() > 65535 || consoleSize.width() < 0 || consoleSize.width() > 65535)
            throw size.error("height and width must be between 0 and 65535");
        Capabilities caps = p.get("capabilities").missing() ? null : Capabilities.parse(p.get("capabilities"));
        List<Rlimit> rlimits = new ArrayList<>();
        for (Node r : p.get("rlimits").list()) rlimits.add(Rlimit.parse(r));
        long oom = p.get("oomScoreAdj").integer(Long.MIN_VALUE);
        if (oom != Long.MIN_VALUE && (oom < -1000 || oom > 1000)) throw p.get("oomScoreAdj").error("must be between -1000 and 1000");
        return new ProcessSpec(p.get("terminal").bool(false), consoleSize, args, p.get("env").strings(), cwd, user, caps,
                List.copyOf(rlimits), p.get("noNewPrivileges").bool(false), oom == Long.MIN_VALUE ? null : (int) oom,
                p.get("apparmorProfile").string(null), p.get("selinuxLabel").string(null));
    }

    /** The same process with other arguments, environment, directory, user, terminal and extra capabilities. */
    public ProcessSpec with(boolean newTerminal, List<String> newArgs, List<String> newEnv, String newCwd, User newUser,
                            long extraCaps) {
        Capabilities c = capabilities == null || extraCaps == 0 ? capabilities : capabilities.plus(extraCaps);
        return new ProcessSpec(newTerminal, consoleSize, newArgs, newEnv, newCwd, newUser, c, rlimits, noNewPrivileges,
                oomScoreAdj, apparmorProfile, selinuxLabel);
    }
}
