package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.image.reference.Reference;
import io.capsa.image.registry.Credentials;
import io.capsa.image.registry.RegistryClient;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * docker login: checks the credentials against the registry, then stores them in Docker's config.json
 * ($DOCKER_CONFIG or ~/.docker), Docker Hub's under Docker's own key for it, so that docker and capsa share them.
 */
final class LoginCommand implements Command {
    @Override
    public String names() {
        return "login";
    }

    @Override
    public Usage usage() {
        return new Usage("Log in to a registry (default: Docker Hub)", "[SERVER]",
                Flag.ofText("-u, --username", "USER", "Username"),
                Flag.ofText("-p, --password", "PASSWORD", "Password or token"),
                Flag.ofBoolean("--password-stdin", "Read the password or token from stdin"),
                PullCommand.tlsVerify());
    }

    @Override
    public int run(Globals globals, Args args) throws IOException {
        String server = args.arg(0) == null ? Reference.DOCKER_HUB : args.arg(0);
        String user = args.value("--username");
        String password = args.value("--password");
        if (args.flag("--password-stdin")) {
            if (password != null) throw new UsageException("--password and --password-stdin are mutually exclusive");
            if (user == null) throw new UsageException("Must provide --username with --password-stdin");
            password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (user == null || password == null) {
            Console console = System.console();
            if (console == null || !console.isTerminal()) throw new UsageException("Cannot perform an interactive login from a non TTY device");
            if (user == null) user = console.readLine("Username: ");
            if (password == null) password = new String(console.readPassword("Password: "));
        }
        if (user.isEmpty()) throw new UsageException("Username is required");
        if (password.isEmpty()) throw new UsageException("Password is required");
        try (RegistryClient client = new RegistryClient(globals.registryOptions(registry(server), PullCommand.tlsVerify(args)))) {
            client.login(server, new Credentials(user, password));
        }
        return Main.print("Login Succeeded\n");
    }

    /** The registry a login or logout SERVER names ("http://host:5000/", "host:5000"), as --insecure-registry names it. */
    static String registry(String server) {
        int scheme = server.indexOf("://");
        String s = scheme < 0 ? server : server.substring(scheme + 3);
        int slash = s.indexOf('/');
        return slash < 0 ? s : s.substring(0, slash);
    }
}
