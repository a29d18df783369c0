package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.engine.Engine;
import io.capsa.network.Attachment;

/** docker network connect and disconnect: a running container on one more network, or off one. */
final class NetworkConnectCommand implements Command {
    private final boolean connect;

    NetworkConnectCommand(boolean connect) {
        this.connect = connect;
    }

    @Override
    public String names() {
        return connect ? "connect" : "disconnect";
    }

    @Override
    public Usage usage() {
        if (!connect) return new Usage("Disconnect a container from a network", "NETWORK CONTAINER",
                Flag.ofBoolean("-f, --force", "Force the container to disconnect from a network"));
        return new Usage("Connect a container to a network", "NETWORK CONTAINER",
                Flag.ofText("--alias", "ALIAS", "Another name of the container on the network").repeatable(),
                Flag.ofText("--ip", "ADDRESS", "The container's IPv4 address on the network"));
    }

    @Override
    public int run(Globals globals, Args args) {
        if (args.argsFrom(0).size() != 2) throw new UsageException("\"capsa network " + names() + "\" requires exactly 2 arguments");
        Engine engine = globals.engine();
        var record = engine.find(args.arg(1));
        if (connect) engine.connect(record, new Attachment(args.arg(0), args.values("--alias"), args.value("--ip"), null));
        else engine.disconnect(record, args.arg(0));
        return Exit.OK;
    }
}
