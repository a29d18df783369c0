package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;
import io.capsa.spec.Capabilities;
import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.ProcessSpec;
import io.capsa.spec.Quoted;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** As runc: the process is config.json's, changed by the flags, or given whole with --process. */
final class ExecCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Run a process inside a running container.", "ID [COMMAND...]",
                Flag.ofText("-p, --process", "FILE", "A process.json to run"),
                Flag.ofBoolean("-d, --detach", "Return once the process has started"),
                Flag.ofText("--pid-file", "FILE", "Write the process's pid to this file"),
                Flag.ofText("--console-socket", "SOCKET", "A unix socket that receives the pty master"),
                Flag.ofBoolean("-t, --tty", "Allocate a terminal"),
                Flag.ofText("-e, --env", "NAME=VALUE", "Set an environment variable").repeatable(),
                Flag.ofText("--cwd", "DIR", "The working directory"),
                Flag.ofText("-u, --user", "UID[:GID]", "The user to run as"),
                Flag.ofLong("-g, --additional-gids", "GID", "An additional group id").repeatable(),
                Flag.ofText("-c, --cap", "CAP", "A capability to add").repeatable(),
                Flag.ofInt("--preserve-fds", "N", "Pass this many descriptors from 3 up").orElse("0"))
                .endOptionsAtFirstArgument();
    }

    @Override
    public int run(Main main, Args args) {
        int preserveFds = CreateFlags.preserveFds(args);
        String id = args.arg(0);
        Containers containers = main.containers();
        Path processFile = args.path("--process");
        ProcessSpec process = processFile != null
                ? ProcessSpec.parse(Json.read(processFile))
                : fromFlags(containers.configuredProcess(id), args);
        return containers.exec(id, process, new Containers.ExecOptions(args.flag("--detach"), args.path("--pid-file"),
                preserveFds, args.path("--console-socket")));
    }

    private static ProcessSpec fromFlags(ProcessSpec configured, Args args) {
        List<String> command = args.argsFrom(1);
        String user = args.value("--user"), cwd = args.value("--cwd");
        List<Long> additionalGids = args.longValues("--additional-gids");
        if (command.isEmpty()) throw new CapsaException("exec: give a command, or --process FILE");
        Map<String, String> vars = new LinkedHashMap<>();
        for (String e : configured.env()) vars.put(e.substring(0, e.indexOf('=')), e);
        for (String e : args.values("--env")) {
            if (!e.contains("=")) throw new CapsaException("--env " + Quoted.of(e) + ": expected NAME=value");
            vars.put(e.substring(0, e.indexOf('=')), e);
        }
        ProcessSpec.User u = configured.user();
        if (user != null) {
            String[] ids = user.split(":", 2);
            try {
                u = new ProcessSpec.User(id("--user", Long.parseLong(ids[0])), ids.length > 1 ? id("--user", Long.parseLong(ids[1])) : 0,
                        u.umask(), u.additionalGids());
            } catch (NumberFormatException e) {
                throw new CapsaException("--user " + Quoted.of(user) + ": expected uid[:gid] as numbers");
            }
        }
        if (!additionalGids.isEmpty()) {
            for (long gid : additionalGids) id("--additional-gids", gid);
            u = new ProcessSpec.User(u.uid(), u.gid(), u.umask(), additionalGids);
        }
        String dir = cwd != null ? cwd : configured.cwd();
        if (!dir.startsWith("/")) throw new CapsaException("--cwd " + Quoted.of(dir) + ": must be an absolute path");
        long extraCaps = 0;
        for (String cap : args.values("--cap")) {
            long bit = Capabilities.bit(cap);
            if (bit == 0) throw new CapsaException("--cap " + Quoted.of(cap) + ": unknown capability");
            extraCaps |= bit;
        }
        return configured.with(args.flag("--tty"), command, List.copyOf(vars.values()), dir, u, extraCaps);
    }

    /** A uid or gid from a flag, in the range config.json's must keep: -1 would leave the process root. */
    private static long id(String flag, long id) {
        return ProcessSpec.id(Node.root(id, flag));
    }
}
