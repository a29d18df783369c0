package io.capsa.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** errno values capsa tests for, and their names and texts for error lines. */
public final class Errno {
    private Errno() {}

    public static final int ENOENT = 2, ESRCH = 3, EINTR = 4, EAGAIN = 11, ENOTDIR = 20;

    private static final String[] NAMES = new String[134];
    static {
        String[] known = {"1 EPERM", "2 ENOENT", "3 ESRCH", "4 EINTR", "5 EIO", "6 ENXIO", "7 E2BIG",
                "8 ENOEXEC", "9 EBADF", "10 ECHILD", "11 EAGAIN", "12 ENOMEM", "13 EACCES", "14 EFAULT",
                "16 EBUSY", "17 EEXIST", "18 EXDEV", "19 ENODEV", "20 ENOTDIR", "21 EISDIR", "22 EINVAL",
                "24 EMFILE", "26 ETXTBSY", "27 EFBIG", "28 ENOSPC", "30 EROFS", "32 EPIPE", "36 ENAMETOOLONG",
                "38 ENOSYS", "39 ENOTEMPTY", "40 ELOOP", "75 EOVERFLOW", "95 EOPNOTSUPP", "125 ECANCELED"};
        for (String k : known) {
            int space = k.indexOf(' ');
            NAMES[Integer.parseInt(k.substring(0, space))] = k.substring(space + 1);
        }
    }

    private static final class StrError {
        static final MethodHandle STRERROR = Libc.function("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /** "No such file or directory (ENOENT)". */
    public static String describe(int errno) {
        String text;
        try {
            text = ((MemorySegment) StrError.STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "errno " + errno;
        }
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name == null ? text : text + " (" + name + ")";
    }
}
