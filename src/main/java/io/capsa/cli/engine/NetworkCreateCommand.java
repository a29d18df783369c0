package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.spec.Quoted;

import java.util.Map;
import java.util.TreeMap;

/** docker network create: a bridge network of its own subnet; prints its ID. */
final class NetworkCreateCommand implements Command {
    @Override
    public String names() {
        return "create";
    }

    @Override
    public Usage usage() {
        return new Usage("Create a network", "NETWORK",
                Flag.ofText("-d, --driver", "DRIVER", "Driver to manage the network (only bridge)").orElse("bridge"),
                Flag.ofText("--subnet", "CIDR", "Subnet in CIDR format (default: a free /24 in 10.89.0.0-10.99.255.0)"),
                Flag.ofText("--gateway", "IP", "Gateway for the subnet (default: its first address)"),
                Flag.ofBoolean("--internal", "Restrict external access to the network"),
                Flag.ofText("--label", "KEY[=VALUE]", "Set metadata on the network").repeatable());
    }

    @Override
    public int run(Globals globals, Args args) {
        if (args.argsFrom(0).size() != 1) throw new UsageException("\"capsa network create\" requires exactly 1 argument");
        if (!args.value("--driver").equals("bridge"))
            throw new UsageException("--driver: unknown driver " + Quoted.of(args.value("--driver")) + " (only bridge)");
        Map<String, String> labels = new TreeMap<>();
        for (String label : args.values("--label")) {
            int eq = label.indexOf('=');
            labels.put(eq < 0 ? label : label.substring(0, eq), eq < 0 ? "" : label.substring(eq + 1));
        }
        return Main.print(globals.networks().create(args.arg(0), args.value("--subnet"), args.value("--gateway"), args.flag("--internal"), labels).id() + "\n");
    }
}
