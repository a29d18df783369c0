package io.capsa.cli;

import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The flags create and run share, as runc names them. */
final class CreateFlags {
    @Option(names = {"--bundle", "-b"}, defaultValue = ".", description = "The bundle directory (default: the current one).")
    Path bundle;

    @Option(names = "--pid-file", description = "Write the init's pid to this file.")
    Path pidFile;

    @Option(names = "--console-socket", description = "A unix socket that receives the pty master of a terminal.")
    Path consoleSocket;

    @Option(names = "--no-pivot", description = "Enter the root filesystem with MS_MOVE and chroot instead of pivot_root.")
    boolean noPivot;

    @Option(names = "--no-new-keyring", description = "Keep the caller's session keyring.")
    boolean noNewKeyring;

    @Option(names = "--preserve-fds", defaultValue = "0", description = "Pass this many descriptors from 3 up.")
    int preserveFds;

    Containers.CreateOptions options() {
        if (preserveFds < 0) throw new CapsaException("--preserve-fds must not be negative");
        return new Containers.CreateOptions(bundle, pidFile, preserveFds, noPivot, !noNewKeyring, consoleSocket);
    }
}
