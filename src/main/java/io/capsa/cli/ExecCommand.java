package io.capsa.cli;

import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;
import io.capsa.spec.Capabilities;
import io.capsa.spec.Json;
import io.capsa.spec.ProcessSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** As runc: the process is config.json's, changed by the flags, or given whole with --process. */
@Command(name = "exec", description = "Run a process inside a running container.")
final class ExecCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Option(names = {"--process", "-p"}, description = "A process.json to run.") Path processFile;
    @Option(names = {"--detach", "-d"}, description = "Return once the process has started.") boolean detach;
    @Option(names = "--pid-file", description = "Write the process's pid to this file.") Path pidFile;
    @Option(names = "--console-socket", description = "A unix socket that receives the pty master.") Path consoleSocket;
    @Option(names = {"--tty", "-t"}, description = "Allocate a terminal.") boolean tty;
    @Option(names = {"--env", "-e"}, description = "Set an environment variable NAME=value.") List<String> env = new ArrayList<>();
    @Option(names = "--cwd", description = "The working directory.") String cwd;
    @Option(names = {"--user", "-u"}, description = "uid[:gid] to run as.") String user;
    @Option(names = {"--additional-gids", "-g"}, description = "An additional group id.") List<Long> additionalGids = new ArrayList<>();
    @Option(names = {"--cap", "-c"}, description = "A capability to add.") List<String> caps = new ArrayList<>();
    @Option(names = "--preserve-fds", defaultValue = "0", description = "Pass this many descriptors from 3 up.") int preserveFds;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1..*", paramLabel = "COMMAND") List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        if (preserveFds < 0) throw new CapsaException("--preserve-fds must not be negative");
        Containers containers = main.containers();
        ProcessSpec process = processFile != null
                ? ProcessSpec.parse(Json.read(processFile))
                : fromFlags(containers.configuredProcess(id));
        return containers.exec(id, process, new Containers.ExecOptions(detach, pidFile, preserveFds, consoleSocket));
    }

    private ProcessSpec fromFlags(ProcessSpec configured) {
        if (command.isEmpty()) throw new CapsaException("exec: give a command, or --process FILE");
        Map<String, String> vars = new LinkedHashMap<>();
        for (String e : configured.env()) vars.put(e.substring(0, e.indexOf('=')), e);
        for (String e : env) {
            if (!e.contains("=")) throw new CapsaException("--env " + e + ": expected NAME=value");
            vars.put(e.substring(0, e.indexOf('=')), e);
        }
        ProcessSpec.User u = configured.user();
        if (user != null) {
            String[] ids = user.split(":", 2);
            try {
                u = new ProcessSpec.User(Long.parseLong(ids[0]), ids.length > 1 ? Long.parseLong(ids[1]) : 0, u.umask(), u.additionalGids());
            } catch (NumberFormatException e) {
                throw new CapsaException("--user " + user + ": expected uid[:gid] as numbers");
            }
        }
        if (!additionalGids.isEmpty()) u = new ProcessSpec.User(u.uid(), u.gid(), u.umask(), additionalGids);
        String dir = cwd != null ? cwd : configured.cwd();
        if (!dir.startsWith("/")) throw new CapsaException("--cwd " + dir + ": must be an absolute path");
        long extraCaps = 0;
        for (String cap : caps) {
            long bit = Capabilities.bit(cap);
            if (bit == 0) throw new CapsaException("--cap " + cap + ": unknown capability");
            extraCaps |= bit;
        }
        return configured.with(tty, command, List.copyOf(vars.values()), dir, u, extraCaps);
    }
}
