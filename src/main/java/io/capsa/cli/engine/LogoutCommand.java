package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.image.reference.Reference;
import io.capsa.image.registry.RegistryClient;

/** docker logout: forgets the registry's credentials in Docker's config.json. */
final class LogoutCommand implements Command {
    @Override
    public String names() {
        return "logout";
    }

    @Override
    public Usage usage() {
        return new Usage("Log out from a registry (default: Docker Hub)", "[SERVER]");
    }

    @Override
    public int run(Globals globals, Args args) {
        String server = args.arg(0) == null ? Reference.DOCKER_HUB : args.arg(0);
        try (RegistryClient client = new RegistryClient(globals.registryOptions(LoginCommand.registry(server), true))) {
            return Main.print(client.logout(server) ? "Removing login credentials for " + server + "\n" : "Not logged in to " + server + "\n");
        }
    }
}
