package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.Engine;

/** docker exec: a command in a running container, with this terminal (-it) or detached (-d). */
final class ExecCommand extends AliasedCommand {
    ExecCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Execute a command in a running container", "CONTAINER COMMAND [ARG...]",
                Flag.ofBoolean("-d, --detach", "Detached mode: run command in the background"),
                Flag.ofBoolean("-i, --interactive", "Keep STDIN open"),
                Flag.ofBoolean("-t, --tty", "Allocate a pseudo-TTY"),
                Flag.ofText("-e, --env", "KEY=VALUE", "Set environment variables").repeatable(),
                Flag.ofText("-w, --workdir", "DIR", "Working directory inside the container"),
                Flag.ofText("-u, --user", "USER[:GROUP]", "Username or UID (format: <name|uid>[:<group|gid>])")).endOptionsAtFirstArgument();
    }

    @Override
    public int run(Globals globals, Args args) {
        if (args.argsFrom(0).size() < 2) throw new io.capsa.cli.UsageException("\"capsa exec\" requires at least 2 arguments");
        Engine engine = globals.engine();
        var record = engine.find(args.arg(0));
        boolean detach = args.flag("--detach");
        return StartFailure.exitOf(() -> engine.exec(record, new Engine.ExecRequest(args.argsFrom(1), detach,
                args.flag("--tty") && !detach, args.values("--env"), args.value("--workdir"), args.value("--user"))));
    }
}
