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

    /**
     * A uid or gid: 0..2^31-1, as runc takes them. 4294967295 is (uid_t) -1, which setresuid(2) reads as
     * "leave unchanged", so the process would stay root.
     */
    public static long id(Node n) {
        return n.integer(0, 0, Integer.MAX_VALUE);
    }

    public static ProcessSpec parse(Node p) {
        List<String> args = p.get("args").strings();
        if (args.isEmpty()) throw p.get("args").error("must name the program to run");
        String cwd = p.get("cwd").requiredString();
        if (!cwd.startsWith("/")) throw p.get("cwd").error("must be an absolute path");
        for (Node e : p.get("env").list()) {
            if (!e.string("").contains("=")) throw e.error("expected NAME=value");
        }
        Node u = p.get("user");
        Long umask = u.get("umask").missing() ? null : u.get("umask").integer(0, 0, 0777);
        List<Long> groups = new ArrayList<>();
        for (Node g : u.get("additionalGids").list()) groups.add(id(g));
        User user = new User(id(u.get("uid")), id(u.get("gid")), umask, List.copyOf(groups));
        Node size = p.get("consoleSize"); // a struct winsize holds 16 bits a side
        ConsoleSize consoleSize = size.missing() ? ConsoleSize.UNSET
                : new ConsoleSize(size.get("height").integer(0, 0, 65535), size.get("width").integer(0, 0, 65535));
        Capabilities caps = p.get("capabilities").missing() ? null : Capabilities.parse(p.get("capabilities"));
        List<Rlimit> rlimits = new ArrayList<>();
        for (Node r : p.get("rlimits").list()) rlimits.add(Rlimit.parse(r));
        Node oom = p.get("oomScoreAdj");
        Integer oomScoreAdj = oom.missing() ? null : (int) oom.integer(0, -1000, 1000); // the kernel's OOM_SCORE_ADJ_MIN..MAX
        return new ProcessSpec(p.get("terminal").bool(false), consoleSize, args, p.get("env").strings(), cwd, user, caps,
                List.copyOf(rlimits), p.get("noNewPrivileges").bool(false), oomScoreAdj,
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
