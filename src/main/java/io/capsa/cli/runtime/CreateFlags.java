package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.linux.Proc;
import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;

import java.util.Arrays;

/** The flags create and run share, as runc names them. */
final class CreateFlags {
    private CreateFlags() {}

    /** These flags, followed by a command's own. */
    static Flag[] and(Flag... more) {
        Flag[] shared = {
            Flag.ofText("-b, --bundle", "DIR", "The bundle directory").orElse("."),
            Flag.ofText("--pid-file", "FILE", "Write the init's pid to this file"),
            Flag.ofText("--console-socket", "SOCKET", "A unix socket that receives the pty master of a terminal"),
            Flag.ofBoolean("--no-pivot", "Enter the root filesystem with MS_MOVE and chroot instead of pivot_root"),
            Flag.ofBoolean("--no-new-keyring", "Keep the caller's session keyring"),
            Flag.ofInt("--preserve-fds", "N", "Pass this many descriptors from 3 up").orElse("0"),
        };
        Flag[] all = Arrays.copyOf(shared, shared.length + more.length);
        System.arraycopy(more, 0, all, shared.length, more.length);
        return all;
    }

    static Containers.CreateOptions options(Args args) {
        return new Containers.CreateOptions(args.path("--bundle"), args.path("--pid-file"), preserveFds(args),
                args.flag("--no-pivot"), !args.flag("--no-new-keyring"), args.path("--console-socket"), null);
    }

    /** --preserve-fds N of create, run and exec: descriptors 3 to 3+N-1, all below the open file limit. */
    static int preserveFds(Args args) {
        int n = args.intValue("--preserve-fds");
        if (n < 0) throw new CapsaException("--preserve-fds must not be negative");
        if (n == 0) return 0; // the usual case, without reading /proc
        long limit = Proc.openFileLimit();
        if (n > limit - 3)
            throw new CapsaException("--preserve-fds " + n + ": descriptors 3 to " + (n + 2L) + " exceed the open file limit of " + limit);
        return n;
    }
}
