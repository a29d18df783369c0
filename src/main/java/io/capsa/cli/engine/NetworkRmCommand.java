package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.network.NetworkConfig;

import java.util.List;

/**
 * docker network rm: removes the networks and prints their names as given. All or none: an unknown network, one
 * in use or the default one is refused before any goes.
 */
final class NetworkRmCommand implements Command {
    @Override
    public String names() {
        return "rm, remove";
    }

    @Override
    public Usage usage() {
        return new Usage("Remove one or more networks", "NETWORK [NETWORK...]");
    }

    @Override
    public int run(Globals globals, Args args) {
        List<String> names = args.argsFrom(0);
        if (names.isEmpty()) throw new UsageException("\"capsa network rm\" requires at least 1 argument");
        var networks = globals.networks();
        for (String n : names) {
            if (networks.find(n).isDefault()) throw new UsageException(NetworkConfig.DEFAULT + " is a pre-defined network and cannot be removed");
        }
        networks.remove(names);
        return Main.print(String.join("\n", names) + "\n");
    }
}
