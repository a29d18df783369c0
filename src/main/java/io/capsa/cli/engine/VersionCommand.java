package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;
import io.capsa.cli.Version;
import io.capsa.image.Platform;

/** docker version's client part; there is no server: the engine runs in this process. */
final class VersionCommand implements Command {
    @Override
    public String names() {
        return "version";
    }

    @Override
    public Usage usage() {
        return new Usage("Show the capsa version information", "");
    }

    @Override
    public int run(Globals globals, Args args) {
        return Main.print("Client:\n"
                + " Version:       " + Version.capsa() + "\n"
                + " OCI spec:      " + Version.OCI_SPEC + "\n"
                + " Java version:  " + Runtime.version() + "\n"
                + " OS/Arch:       " + Platform.host() + "\n");
    }
}
