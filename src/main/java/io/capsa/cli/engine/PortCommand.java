package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.engine.PublishedPort;
import io.capsa.runtime.CapsaException;

import java.util.ArrayList;
import java.util.List;

/** docker port: the container's published ports, or where one of its ports is published. */
final class PortCommand extends AliasedCommand {
    PortCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("List port mappings or a specific mapping for the container", "CONTAINER [PRIVATE_PORT[/PROTO]]");
    }

    @Override
    public int run(Globals globals, Args args) {
        Engine engine = globals.engine();
        ContainerRecord record = engine.find(args.arg(0));
        String asked = args.argsFrom(1).isEmpty() ? null : args.arg(1);
        String wanted = asked == null ? null : containerSide(asked);
        List<String> lines = new ArrayList<>();
        for (PublishedPort p : engine.ports(record)) {
            if (wanted == null) lines.add(p.containerSide() + " -> " + p.hostSide());
            else if (p.containerSide().equals(wanted)) lines.add(p.hostSide());
        }
        if (asked != null && lines.isEmpty()) throw new CapsaException("No public port '" + asked + "' published for " + args.arg(0));
        lines.sort(null);
        StringBuilder out = new StringBuilder();
        for (String line : lines) out.append(line).append('\n');
        return Main.print(out.toString());
    }

    /** "80" or "80/udp" as "80/tcp" or "80/udp"; the port a number up to 65535, as Docker checks it. */
    private static String containerSide(String asked) {
        int slash = asked.indexOf('/');
        String port = slash < 0 ? asked : asked.substring(0, slash);
        String protocol = slash < 0 ? "tcp" : asked.substring(slash + 1);
        try {
            int n = Integer.parseInt(port);
            if (n < 0 || n > 65535 || !Character.isDigit(port.charAt(0))) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new CapsaException("invalid port (" + port + ")");
        }
        return Integer.parseInt(port) + "/" + protocol;
    }
}
