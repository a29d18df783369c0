/*
 * capsa-helper: carries out, between fork and exec, a plan that capsa (Java) computed.
 *
 * A JVM is multithreaded, so it cannot unshare a user namespace, setns into a mount namespace or
 * become PID 1 of a new PID namespace. This single-threaded program does those steps for it. It holds
 * no policy: every path, flag and id comes from the plan, and every failure is reported back as
 * "err <step> <errno> <detail>" so that Java can print one precise error line.
 *
 * Usage: capsa-helper --launch JAVA ARGS... (bin/capsa-runtime: see launch()), which runs the helper part as
 * capsa-helper PLAN_FD REPORT_FD. The plan is a u32 byte length followed by steps; a step is u32 op, u32 argc, then argc times
 * (u32 length, bytes), all in host byte order. Steps before CLONE run in this process; after CLONE
 * the parent runs the parent steps (SYNC, CHILD_PROC_WRITE) and the child runs all the others.
 * capsa-helper --attach ... is the client of a container's monitor (see detach_monitor and attach_client).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <dirent.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

/* Keep in step with io.capsa.plan.Op. */
enum op {
    OP_PRESERVE_FDS = 1, /* n: fds 3..3+n-1 reach the container, all others are closed */
    OP_SETNS,            /* path, nstype; an empty path joins the held namespace of that type */
    OP_UNSHARE,          /* flags */
    OP_WRITE_FILE,       /* path, content */
    OP_MAKE_FIFO,        /* path, mode: made and held read-write, AWAIT_START reads the start byte from it */
    OP_MONITOR,          /* the parent stays, forwards signals, and exits with the child's status */
    OP_CLONE,            /* flags: the child is born in the held v2 cgroup, if any (CLONE_INTO_CGROUP) */
    OP_SYNC,             /* parent: report the child's pid, wait for capsa's go byte */
    OP_CHILD_PROC_WRITE, /* parent: name, content, written to /proc/<child>/<name> */
    OP_SETHOSTNAME,      /* name */
    OP_SETDOMAINNAME,    /* name */
    OP_MOUNT,            /* source, target, fstype, flags, data (host paths, "" = NULL) */
    OP_MOUNT_IN_ROOT,    /* root, source, dest, fstype, flags, data, kind: d|f, or c, a directory copied into the mount */
    OP_MKNOD_IN_ROOT,    /* root, dest, mode, major, minor, uid, gid: an existing node is kept */
    OP_SYMLINK_IN_ROOT,  /* root, target, linkpath, existing: keep|replace */
    OP_PIVOT_ROOT,       /* root */
    OP_MOVE_ROOT,        /* root: MS_MOVE onto / and chroot, for --no-pivot */
    OP_REMOUNT_RO,       /* path */
    OP_HOLD_ROOT,        /* path: a directory to chroot into later, opened now */
    OP_ENTER_HELD_ROOT,
    OP_SETGROUPS,        /* gid... */
    OP_SETGID,           /* gid */
    OP_SETUID,           /* uid */
    OP_UMASK,            /* mask (decimal) */
    OP_CHDIR,            /* dir */
    OP_ENV,              /* NAME=value */
    OP_CHECK_EXEC,       /* file: must be found in the plan's PATH */
    OP_READY,
    OP_AWAIT_START,
    OP_EXEC,             /* argv... */
    OP_JOIN_KEYRING,     /* name: a new session keyring, so the container cannot read the caller's keys */
    OP_CONSOLE_SOCKET,   /* path: connect now; CONSOLE sends the pty master there (--console-socket) */
    OP_CONSOLE_RELAY,    /* the monitor receives the pty master and relays it to its own stdio */
    OP_CONSOLE,          /* rows, cols: make a pty the controlling terminal and stdio, send its master */
    OP_PRCTL,            /* option, value: PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS, ... */
    OP_CAPS,             /* bounding, effective, permitted, inheritable, ambient: 64-bit masks */
    OP_RLIMIT,           /* resource, soft, hard */
    OP_MASK_PATH,        /* path: hidden under /dev/null or an empty read-only tmpfs; absent is fine */
    OP_READONLY_PATH,    /* path: bound read-only onto itself; absent is fine */
    OP_PERSONALITY,      /* persona */
    OP_HOOK_SYNC,        /* report "hooks", wait for capsa's runtime hooks, then read the state for ours */
    OP_RUN_HOOK,         /* path, timeout seconds, argc, argv..., env...: state JSON on its stdin */
    OP_SETATTR_IN_ROOT,  /* root, dest, kind, attr_set, attr_clr: mount_setattr(2) on the whole subtree */
    OP_SECCOMP,          /* flags, filter: struct sock_filter[] as hex, loaded with seccomp(2) */
    OP_SIGNAL,           /* pid, start time, signal: reports "sent", or "gone" when that process has exited */
    OP_DEVICE_FILTER,    /* cgroup dir, program: struct bpf_insn[] as hex, a cgroup v2 device filter */
    OP_HOLD_CGROUP,      /* path: a v1 tasks file held open, or the v2 directory CLONE's child is born in */
    OP_JOIN_HELD_CGROUPS, /* writes "0" to each held tasks file: the process moves itself, paths unneeded */
    OP_HOLD_NAMESPACE,   /* path, nstype: opened now, joined by a later SETNS or TRY_SETNS of that type */
    OP_BIND_ROOT,        /* root: bound onto itself, for PIVOT_ROOT or MOVE_ROOT */
    OP_LOOPBACK_UP,      /* name: an interface of the current network namespace, set up (IFF_UP) */
    OP_HOME_FROM_PASSWD, /* uid: HOME=<its directory> from the root's /etc/passwd, or HOME=/ (as runc) */
    OP_TRY_SETNS,        /* nstype: joins the held namespace; refused (EPERM), it waits for RETRY_SETNS */
    OP_RETRY_SETNS,      /* joins those TRY_SETNS left; a failure is reported as the step that left it */
    OP_HOOK_RUNNER,      /* n: forks a process that stays where capsa is to run the next n steps (RUN_HOOK) at HOOK_SYNC */
    OP_DETACH_MONITOR,   /* log, exit file, its tmp, attach socket, terminal, open stdin, root to unmount, argc, exit argv..., env...: see detach_monitor */
    OP_NEXT_PLAN,        /* last step of a plan of host steps: report "next", then wait for another plan */
    OP_ATTACH,           /* socket, stdin, tty, owner, detach keys hex: report "pid N", become an attach client (see attach_client) */
};

struct step {
    uint32_t op, argc;
    char **argv;
};

static int report_fd = -1, plan_fd = -1;
static int kept_fds = 3; /* 0 .. kept_fds-1 reach the container (PRESERVE_FDS) */
/* Opened before CLONE, while the host's cgroup paths resolve (exec enters the container's mount namespace). */
static int held_cgroup2 = -1, held_tasks[32], nheld_tasks;
/*
 * Namespaces opened before the mount namespace hides the host's paths, and those TRY_SETNS left for
 * RETRY_SETNS with the step that names them.
 */
static struct held_ns { int fd, nstype, step; } held_ns[16], refused_ns[16];
static int nheld_ns, nrefused_ns;
static int current_step, ready_reported;
static struct step *steps;
static int nsteps;

static void report(const char *line) {
    size_t len = strlen(line);
    while (len > 0) {
        ssize_t n = write(report_fd, line, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        line += n;
        len -= (size_t)n;
    }
}

/*
 * Reports the failed step with errno (0 when detail says it all) and the object it was working on, and
 * exits. After READY nobody may be reading the report any more, so the container's stderr gets it too.
 */
static void fail(const char *detail) {
    char line[PATH_MAX + 64];
    int err = errno;
    snprintf(line, sizeof line, "err %d %d %s\n", current_step, err, detail ? detail : "");
    report(line);
    if (ready_reported) dprintf(2, "capsa: %s%s%s\n", detail, err ? ": " : "", err ? strerror(err) : "");
    _exit(126);
}

static void read_full(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { errno = n == 0 ? EPIPE : errno; fail("read plan"); }
        p += n;
        len -= (size_t)n;
    }
}

static void parse_plan(void) {
    uint32_t total;
    read_full(plan_fd, &total, sizeof total);
    char *buf = malloc(total), *p = buf, *end;
    if (!buf) fail("read plan");
    read_full(plan_fd, buf, total);
    end = buf + total;
    steps = calloc(total / 8 + 1, sizeof *steps);
    while (p + 8 <= end) {
        struct step *s = &steps[nsteps++];
        memcpy(&s->op, p, 4);
        memcpy(&s->argc, p + 4, 4);
        p += 8;
        s->argv = calloc(s->argc + 1, sizeof(char *));
        for (uint32_t i = 0; i < s->argc; i++) {
            uint32_t len;
            if (p + 4 > end) { errno = EINVAL; fail("plan truncated"); }
            memcpy(&len, p, 4);
            p += 4;
            if (len > (uint32_t)(end - p)) { errno = EINVAL; fail("plan truncated"); }
            s->argv[i] = strndup(p, len);
            p += len;
        }
    }
}

static unsigned long num(const char *s) { return strtoul(s, NULL, 0); }
static const char *or_null(const char *s) { return *s ? s : NULL; }

/* Field 22 of /proc/PID/stat, the start time in clock ticks since boot; -1 once the process is a zombie or gone. */
static long long start_time(const char *pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* the command name before it may hold spaces and parentheses */
    if (!p || !(p = strchr(p, ' ')) || p[1] == 'Z' || p[1] == 'X') return -1; /* field 3, the state */
    for (int field = 4; field <= 22 && p; field++) p = strchr(p + 1, ' ');
    return p ? strtoll(p + 1, NULL, 10) : -1;
}

/* The pidfd pins the process while its start time is compared, so a reused pid is never signalled. */
static void signal_process(char **a) {
    int fd = syscall(SYS_pidfd_open, (pid_t)num(a[0]), 0), sent = 0;
    if (fd < 0 && errno != ESRCH) fail("pidfd_open");
    if (fd >= 0 && start_time(a[0]) == strtoll(a[1], NULL, 10)) {
        if (syscall(SYS_pidfd_send_signal, fd, (int)num(a[2]), NULL, 0) == 0) sent = 1;
        else if (errno != ESRCH) fail("pidfd_send_signal");
    }
    if (fd >= 0) close(fd);
    report(sent ? "sent\n" : "gone\n");
}

static int write_file(const char *path, const char *content) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, content, strlen(content));
    int err = errno;
    close(fd);
    errno = err;
    return n == (ssize_t)strlen(content) ? 0 : -1;
}

/* Opens path inside root: symlinks and ".." resolve as if root were "/", so nothing outside it is reached. */
static int open_in_root(int rootfd, const char *path, int flags) {
    struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

/*
 * Opens path inside root as O_PATH, creating missing directories and, with kind 'f', a missing last
 * file. The walk resolves ".." and symlinks itself, as if root were "/", so that a dangling symlink's
 * target is created inside root too; every open goes through openat2 with RESOLVE_IN_ROOT as well.
 */
static int make_in_root(const char *root, const char *path, char kind) {
    char todo[2 * PATH_MAX], done[PATH_MAX] = "", name[NAME_MAX + 1], target[PATH_MAX];
    int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), links = 0;
    if (rootfd < 0) fail(root);
    if (snprintf(todo, sizeof todo, "%s", path) >= (int)sizeof todo) { errno = ENAMETOOLONG; fail(path); }
    char *p = todo;
    for (;;) {
        while (*p == '/') p++;
        if (!*p) break;
        size_t len = strcspn(p, "/");
        if (len > NAME_MAX) { errno = ENAMETOOLONG; fail(path); }
        memcpy(name, p, len);
        name[len] = 0;
        p += len;
        int last = p[strspn(p, "/")] == 0;
        if (!strcmp(name, ".")) continue;
        if (!strcmp(name, "..")) {
            char *slash = strrchr(done, '/');
            *(slash ? slash : done) = 0;
            continue;
        }
        int dir = open_in_root(rootfd, *done ? done : "/", O_PATH | O_DIRECTORY);
        struct stat st;
        if (dir < 0) fail(path);
        if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            if (errno != ENOENT) fail(path);
            int made = last && kind == 'f' ? openat(dir, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644)
                                           : mkdirat(dir, name, 0755);
            if (made < 0 && errno != EEXIST) fail(path);
            if (made > 0) close(made);
        } else if (S_ISLNK(st.st_mode)) {
            ssize_t n = readlinkat(dir, name, target, sizeof target - 1);
            if (n < 0) fail(path);
            if (++links > 40) { errno = ELOOP; fail(path); }
            target[n] = 0;
            char rest[2 * PATH_MAX];
            snprintf(rest, sizeof rest, "%s/%s", target, p); /* the link's target replaces its name */
            snprintf(todo, sizeof todo, "%s", rest);
            p = todo;
            if (target[0] == '/') *done = 0;
            close(dir);
            continue;
        }
        close(dir);
        size_t used = strlen(done);
        if (used + len + 2 > sizeof done) { errno = ENAMETOOLONG; fail(path); }
        snprintf(done + used, sizeof done - used, "%s%s", used ? "/" : "", name);
    }
    int fd = open_in_root(rootfd, *done ? done : "/", O_PATH);
    if (fd < 0) fail(path);
    close(rootfd);
    return fd;
}

/* Splits dest into its directory (created inside root) and last name. */
static int parent_in_root(const char *root, const char *dest, const char **name) {
    static char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", dest);
    char *slash = strrchr(dir, '/');
    *name = dest + (slash ? slash - dir + 1 : 0);
    if (slash) *slash = 0;
    return make_in_root(root, dir, 'd');
}

/* Owner, extended attributes, mode and times of src onto dst, in the order in which none undoes another. */
static void copy_attributes(int src, int dst, const struct stat *st, const char *dest) {
    char names[65536], value[65536];
    if (fchown(dst, st->st_uid, st->st_gid) < 0) fail(dest); /* first: it clears setuid bits and file capabilities */
    ssize_t len = flistxattr(src, names, sizeof names);
    for (char *name = names; len > 0 && name < names + len; name += strlen(name) + 1) {
        ssize_t n = fgetxattr(src, name, value, sizeof value);
        /* Where tmpfs or our privilege lacks a namespace of attributes (trusted.*, in a user namespace), it is left out. */
        if (n >= 0 && fsetxattr(dst, name, value, (size_t)n, 0) < 0 && errno != EOPNOTSUPP && errno != EPERM) fail(dest);
    }
    struct timespec times[2] = {st->st_atim, st->st_mtim};
    if (fchmod(dst, st->st_mode & 07777) < 0 || futimens(dst, times) < 0) fail(dest);
}

/*
 * Copies the directory from into to: files, directories, symlinks and nodes with their owners, modes, times
 * and (files, directories) extended attributes; hard links become copies. Nothing is followed. Runs under
 * umask 0. Closes from.
 */
static void copy_tree(int from, int to, const char *dest) {
    DIR *dir = fdopendir(from);
    if (!dir) fail(dest);
    for (struct dirent *e; (errno = 0, e = readdir(dir));) {
        const char *name = e->d_name;
        struct stat st;
        int src = -1, dst = -1;
        if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
        if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0) fail(dest);
        if (S_ISREG(st.st_mode)) {
            src = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            dst = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (src < 0 || dst < 0) fail(dest);
            for (off_t off = 0; off < st.st_size;) {
                ssize_t n = sendfile(dst, src, &off, (size_t)(st.st_size - off));
                if (n < 0) fail(dest);
                if (n == 0) break; /* shrunk meanwhile */
            }
        } else if (S_ISDIR(st.st_mode)) {
            if (mkdirat(to, name, 0700) < 0) fail(dest);
            src = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            dst = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int sub = src < 0 ? -1 : fcntl(src, F_DUPFD_CLOEXEC, 0);
            if (sub < 0 || dst < 0) fail(dest);
            copy_tree(sub, dst, dest);
        } else if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlinkat(from, name, target, sizeof target - 1);
            if (n < 0) fail(dest);
            target[n] = 0;
            if (symlinkat(target, to, name) < 0) fail(dest);
        } else if (mknodat(to, name, st.st_mode, st.st_rdev) < 0) {
            fail(dest);
        }
        if (dst >= 0) {
            copy_attributes(src, dst, &st, dest);
            close(src);
            close(dst);
        } else {
            struct timespec times[2] = {st.st_atim, st.st_mtim};
            if (fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0
                || utimensat(to, name, times, AT_SYMLINK_NOFOLLOW) < 0)
                fail(dest);
        }
    }
    if (errno) fail(dest);
    closedir(dir);
}

/* tmpcopyup: from, the directory under the new mount at dest, is copied into the mount. */
static void copy_up(int from, const char *root, const char *dest) {
    int path = make_in_root(root, dest, 'd'); /* resolves to the new mount now */
    int to = openat(path, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (to < 0) fail(dest);
    mode_t mask = umask(0);
    copy_tree(from, to, dest);
    umask(mask);
    close(to);
    close(path);
}

static void mount_in_root(char **a) {
    char target[64];
    int fd = make_in_root(a[0], a[2], a[6][0]), from = -1;
    /* What the mount will hide, opened before it does. */
    if (a[6][0] == 'c' && (from = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) fail(a[2]);
    snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
    if (mount(or_null(a[1]), target, or_null(a[3]), num(a[4]), or_null(a[5])) < 0) fail(a[2]);
    close(fd);
    if (from >= 0) copy_up(from, a[0], a[2]);
}

static void setattr_in_root(char **a) {
    struct mount_attr attr = {.attr_set = strtoull(a[3], NULL, 0), .attr_clr = strtoull(a[4], NULL, 0)};
    int fd = make_in_root(a[0], a[1], a[2][0]);
    if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) fail(a[1]);
    close(fd);
}

/* As parent_in_root, with a symlink at dest followed inside root too, as runc places a device node. */
static int last_in_root(const char *root, const char *dest, const char **name) {
    static char path[PATH_MAX];
    char target[PATH_MAX], next[2 * PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s", dest);
    for (int links = 0;; links++) {
        int dir = parent_in_root(root, path, name); /* *name points into path */
        if (fstatat(dir, *name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode)) return dir;
        ssize_t n = readlinkat(dir, *name, target, sizeof target - 1);
        if (n < 0) fail(dest);
        if (links == 40) { errno = ELOOP; fail(dest); }
        target[n] = 0;
        if (target[0] == '/') snprintf(next, sizeof next, "%s", target);
        else snprintf(next, sizeof next, "%.*s%s", (int)(*name - path), path, target); /* beside the link */
        if (strlen(next) >= sizeof path) { errno = ENAMETOOLONG; fail(dest); }
        strcpy(path, next);
        close(dir);
    }
}

/*
 * The node is made under umask 0, so its mode needs no chmod, and owned through a descriptor of what was
 * made: a symlink swapped in meanwhile is neither followed nor changed. An existing node is kept (runc).
 */
static void mknod_in_root(char **a) {
    const char *name;
    int dir = last_in_root(a[0], a[1], &name);
    mode_t mode = (mode_t)num(a[2]), mask = umask(0);
    dev_t dev = makedev(num(a[3]), num(a[4]));
    int made = mknodat(dir, name, mode, dev);
    umask(mask);
    if (made < 0 && errno == EEXIST) {
        close(dir);
        return;
    }
    struct stat st;
    int node = made < 0 ? -1 : openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (node < 0 || fstat(node, &st) < 0) fail(a[1]);
    if ((st.st_mode & S_IFMT) != (mode & S_IFMT) || (!S_ISFIFO(mode) && st.st_rdev != dev)) { errno = EEXIST; fail(a[1]); }
    if (fchownat(node, "", (uid_t)num(a[5]), (gid_t)num(a[6]), AT_EMPTY_PATH) < 0) fail(a[1]);
    close(node);
    close(dir);
}

static void symlink_in_root(char **a) {
    const char *name;
    int dir = parent_in_root(a[0], a[2], &name), replace = !strcmp(a[3], "replace");
    if (replace && unlinkat(dir, name, 0) < 0 && errno != ENOENT) fail(a[2]);
    if (symlinkat(a[1], dir, name) < 0 && (replace || errno != EEXIST)) fail(a[2]);
    close(dir);
}

/* Whether the mount with this id is shared or unbindable, from its optional fields in mountinfo. */
static int shared_or_unbindable(uint64_t id) {
    FILE *f = fopen("/proc/self/mountinfo", "re");
    char *line = NULL, *dash;
    size_t size = 0;
    int found = 0;
    if (!f) fail("/proc/self/mountinfo");
    while (!found && getline(&line, &size, f) > 0) {
        if (strtoull(line, NULL, 10) != id || !(dash = strstr(line, " - "))) continue;
        *dash = 0;
        found = strstr(line, " shared:") || strstr(line, " unbindable") ? 1 : -1;
    }
    free(line);
    fclose(f);
    return found > 0;
}

/*
 * Binds root onto itself. pivot_root refuses a shared mount, a shared one would carry the bind and every
 * mount on it to the host, and an unbindable one cannot be bound: the mount holding root is made private
 * first then, found as crun does, walking up through ".." until a directory is a mount's root.
 */
static void bind_root(const char *root) {
    struct statx stx;
    char path[64];
    int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0) fail(root);
    if (shared_or_unbindable(stx.stx_mnt_id))
        for (;;) {
            snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
            if (mount(NULL, path, NULL, MS_PRIVATE, NULL) == 0) break;
            int up = errno == EINVAL ? openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC) : -1; /* not a mount's root */
            if (up < 0) fail(root);
            close(fd);
            fd = up;
        }
    close(fd);
    if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0) fail(root);
}

/* Sets an interface up. Any socket reaches the interface ioctls: unix is always built in, IPv4 need not be. */
static void interface_up(const char *name) {
    struct ifreq ifr = {0};
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail(name);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) fail(name);
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) fail(name);
    close(fd);
}

static void pivot_root(const char *root) {
    if (chdir(root) < 0) fail(root);
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail(root);
    /* The old root is stacked under the new one: detach it without propagating the unmount. */
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) fail("old root");
    if (umount2(".", MNT_DETACH) < 0) fail("old root");
    if (chdir("/") < 0) fail("/");
}

static void move_root(const char *root) {
    if (chdir(root) < 0) fail(root);
    if (mount(root, "/", NULL, MS_MOVE, NULL) < 0) fail(root);
    if (chroot(".") < 0 || chdir("/") < 0) fail(root);
}

static void remount_ro(const char *path) {
    struct statvfs st;
    if (statvfs(path, &st) < 0) fail(path);
    unsigned long keep = 0;
    if (st.f_flag & ST_NOSUID) keep |= MS_NOSUID;
    if (st.f_flag & ST_NODEV) keep |= MS_NODEV;
    if (st.f_flag & ST_NOEXEC) keep |= MS_NOEXEC;
    if (st.f_flag & ST_NOATIME) keep |= MS_NOATIME;
    if (st.f_flag & ST_NODIRATIME) keep |= MS_NODIRATIME;
    if (st.f_flag & ST_RELATIME) keep |= MS_RELATIME;
    if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | keep, NULL) < 0) fail(path);
}

/* A path masked or made read-only that the container does not have is not an error (runc neither). */
static int absent(const char *path) {
    struct stat st;
    return stat(path, &st) < 0 && errno == ENOENT;
}

static void mask_path(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) {
        if (errno == ENOENT) return;
        fail(path);
    }
    if (S_ISDIR(st.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0,mode=0") < 0
                            : mount("/dev/null", path, NULL, MS_BIND, NULL) < 0)
        fail(path);
}

static void readonly_path(const char *path) {
    if (absent(path)) return;
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) fail(path);
    remount_ro(path);
}

/* Sets the five capability sets; with PR_SET_KEEPCAPS the permitted set survived the switch of uid. */
static void set_caps(char **a) {
    unsigned long long bounding = strtoull(a[0], NULL, 0), eff = strtoull(a[1], NULL, 0),
                       perm = strtoull(a[2], NULL, 0), inh = strtoull(a[3], NULL, 0), amb = strtoull(a[4], NULL, 0);
    struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
    struct __user_cap_data_struct d[2];
    if (syscall(SYS_capget, &h, d) < 0) fail("capget");
    d[0].effective = d[0].permitted; /* regain CAP_SETPCAP to drop from the bounding set */
    d[1].effective = d[1].permitted;
    if (syscall(SYS_capset, &h, d) < 0) fail("capset");
    for (int cap = 0; cap < 64 && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
        if (!(bounding >> cap & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) fail("drop from bounding set");
    for (int i = 0; i < 2; i++) {
        d[i].effective = (uint32_t)(eff >> (32 * i));
        d[i].permitted = (uint32_t)(perm >> (32 * i));
        d[i].inheritable = (uint32_t)(inh >> (32 * i));
    }
    if (syscall(SYS_capset, &h, d) < 0) fail("capset");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) fail("clear ambient");
    for (int cap = 0; cap < 64; cap++)
        if ((amb >> cap & 1) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) fail("raise ambient");
}

/*
 * CVE-2019-5736: a container must not reach this binary through /proc/PID/exe and overwrite it. Run
 * from a sealed copy in memory, and stay non-dumpable (no /proc access from the container) until exec.
 */
static void run_from_sealed_memfd(char **argv) {
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    int seals = fcntl(src, F_GET_SEALS);
    if (seals >= 0 && (seals & F_SEAL_WRITE)) { /* already the sealed copy */
        close(src);
        return;
    }
    int mem = memfd_create("capsa-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    struct stat st;
    if (src < 0 || mem < 0 || fstat(src, &st) < 0) fail("copy helper to memfd");
    for (off_t off = 0; off < st.st_size;)
        if (sendfile(mem, src, &off, (size_t)(st.st_size - off)) <= 0) fail("copy helper to memfd");
    if (fcntl(mem, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) fail("seal memfd");
    fexecve(mem, argv, environ);
    fail("exec sealed helper");
}

static char *hook_state = "";
/* The hook runner's pipes, as the container's process sees them: the state goes down, 'k' comes back. */
static int runner_state = -1, runner_done = -1;

static long long monotonic_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/*
 * Feeds the state to a hook's stdin while waiting for it to exit, both within timeout_s (0: none). The
 * pipe is written without blocking, so a hook that does not read cannot hold us past its deadline.
 * Returns 1 once the hook has exited, 0 when the deadline passed first.
 */
static int feed_hook(pid_t pid, int in, long timeout_s) {
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), exited = 0;
    if (pidfd < 0) fail("pidfd_open");
    if (fcntl(in, F_SETFL, O_NONBLOCK) < 0) fail("fcntl");
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old;
    sigaction(SIGPIPE, &ignore, &old); /* a hook that does not read its state is fine */
    const char *left = hook_state;
    size_t len = strlen(hook_state);
    long long deadline = monotonic_ms() + timeout_s * 1000;
    for (;;) {
        struct pollfd p[2] = {{.fd = pidfd, .events = POLLIN}, {.fd = in, .events = POLLOUT}};
        long long wait = timeout_s ? deadline - monotonic_ms() : -1;
        int n = poll(p, 2, timeout_s && wait < 0 ? 0 : (int)wait);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("poll");
        if (n == 0) break;
        if (p[0].revents) {
            exited = 1;
            break;
        }
        if (p[1].revents) {
            ssize_t w = write(in, left, len);
            if (w > 0) {
                left += w;
                len -= (size_t)w;
            }
            if (len == 0 || (w < 0 && errno != EAGAIN && errno != EINTR)) { /* all written, or the hook closed it */
                close(in);
                in = -1;
            }
        }
    }
    sigaction(SIGPIPE, &old, NULL);
    if (in >= 0) close(in);
    close(pidfd);
    return exited;
}

static void write_all(int fd, const char *buf, ssize_t len);
static void run_hook(struct step *s);

/* Reads a u32 length and that many bytes of state; false at the end of the pipe. */
static int read_state(int fd) {
    uint32_t len;
    ssize_t n;
    while ((n = read(fd, &len, sizeof len)) < 0 && errno == EINTR) {}
    if (n != sizeof len) return 0;
    if (!(hook_state = malloc(len + 1))) fail("hook state");
    read_full(fd, hook_state, len);
    hook_state[len] = 0;
    return 1;
}

/*
 * HOOK_RUNNER: the runtime's hooks (prestart, createRuntime) run in capsa's namespaces, which this
 * process may leave before CLONE (SETNS). So a process forked now runs them: it waits for the state
 * the container's process passes on at HOOK_SYNC, runs the next n steps, answers 'k' and exits; a hook
 * that fails is reported as its step, as any failure. At the end of the pipe (no HOOK_SYNC reached) it
 * just exits. Forked twice, so that whoever reaps orphans reaps it, not a monitor busy with its container.
 * Returns the index of the last step it takes.
 */
static int fork_hook_runner(int n) {
    int down[2], up[2], status;
    if (pipe2(down, O_CLOEXEC) < 0 || pipe2(up, O_CLOEXEC) < 0) fail("pipe");
    pid_t pid = fork();
    if (pid < 0) fail("fork hook runner");
    if (pid > 0) {
        close(down[0]);
        close(up[1]);
        runner_state = down[1];
        runner_done = up[0];
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return current_step + n;
    }
    if ((pid = fork()) != 0) _exit(pid < 0 ? 125 : 0); /* the runner's end of the pipe reports a failed fork */
    close(down[1]);
    close(up[0]);
    close(plan_fd);
    if (!read_state(down[0])) _exit(0);
    for (int last = current_step + n; current_step < last;) run_hook(&steps[++current_step]);
    if (write(up[1], "k", 1) != 1) _exit(125);
    _exit(0);
}

/*
 * HOOK_SYNC: capsa learns the namespaces are there and sends two states: the first for the runner's hooks,
 * which run first, the second for this process's own (their pid is the container's as it sees it).
 */
static void hook_sync(void) {
    char done;
    report("hooks\n");
    /* Both read before the runner's hooks run: capsa's write of them must not outlast a failing hook. */
    if (!read_state(plan_fd)) fail("hook state");
    char *runtime_state = hook_state;
    if (!read_state(plan_fd)) fail("hook state");
    if (runner_state >= 0) {
        uint32_t len = (uint32_t)strlen(runtime_state);
        write_all(runner_state, (const char *)&len, sizeof len);
        write_all(runner_state, runtime_state, (ssize_t)len);
        close(runner_state);
        if (read(runner_done, &done, 1) != 1) _exit(126); /* the runner reported its failure */
        close(runner_done);
    }
    free(runtime_state);
}

/* Runs a hook where this process is: the state on its stdin, killed once its timeout has passed. */
static void run_hook(struct step *s) {
    char **a = s->argv, detail[PATH_MAX + 64];
    uint32_t argc = (uint32_t)num(a[2]);
    char **args = calloc(argc + 1, sizeof *args), **env = calloc(s->argc - 3 - argc + 1, sizeof *env);
    for (uint32_t i = 0; i < argc; i++) args[i] = a[3 + i];
    for (uint32_t i = 3 + argc; i < s->argc; i++) env[i - 3 - argc] = a[i];
    int in[2], status;
    if (pipe2(in, O_CLOEXEC) < 0) fail("pipe");
    pid_t pid = fork();
    if (pid < 0) fail(a[0]);
    if (pid == 0) { /* with stdio only, as capsa's other descriptors are none of its business */
        if (dup2(in[0], 0) < 0 || syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) fail(a[0]);
        execve(a[0], args, env);
        fail(a[0]);
    }
    close(in[0]);
    if (!feed_hook(pid, in[1], (long)num(a[1]))) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        snprintf(detail, sizeof detail, "timed out after %s s", a[1]);
        errno = 0;
        fail(detail);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) fail(a[0]);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    snprintf(detail, sizeof detail, "%s %d", WIFEXITED(status) ? "exited with status" : "was killed by signal",
             WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    errno = 0;
    fail(detail);
}

/* The held namespace of type nstype, handed over once. */
static int held_namespace(int nstype) {
    for (int i = 0; i < nheld_ns; i++)
        if (held_ns[i].nstype == nstype && held_ns[i].fd >= 0) {
            int fd = held_ns[i].fd;
            held_ns[i].fd = -1;
            return fd;
        }
    errno = EBADF;
    fail("held namespace");
    return -1;
}

/* The second try, as util-linux's nsenter makes it, at the namespaces TRY_SETNS could not join before the user namespace. */
static void retry_namespaces(void) {
    int step = current_step;
    for (int i = 0; i < nrefused_ns; i++) {
        current_step = refused_ns[i].step; /* a failure names the namespace */
        if (setns(refused_ns[i].fd, refused_ns[i].nstype) < 0) fail("held namespace");
        close(refused_ns[i].fd);
    }
    nrefused_ns = 0;
    current_step = step;
}

/* The process's environment: sized from the plan, one slot per ENV or HOME_FROM_PASSWD step and the NULL. */
static char **envv;
static int nenv;

static void allocate_env(void) {
    int slots = 1;
    for (int i = 0; i < nsteps; i++)
        if (steps[i].op == OP_ENV || steps[i].op == OP_HOME_FROM_PASSWD) slots++;
    if (!(envv = calloc((size_t)slots, sizeof *envv))) fail("environment");
}

/*
 * As runc: a process without a HOME of its own gets its user's home directory from the container's
 * /etc/passwd, or "/" (also when the file cannot be read, as in runc). Called once the root is entered:
 * the file is opened inside it, symlinks resolved as if it were "/", no /proc magic link followed, and
 * read only when it is a regular file (a fifo would block).
 */
static void home_from_passwd(const char *uid) {
    static char home[PATH_MAX + 8];
    char *line = NULL;
    size_t cap = 0;
    snprintf(home, sizeof home, "HOME=/");
    envv[nenv++] = home;
    int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) fail("/");
    int fd = open_in_root(root, "/etc/passwd", O_RDONLY | O_NONBLOCK | O_NOCTTY);
    close(root);
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return;
    }
    FILE *f = fdopen(fd, "r");
    if (!f) fail("/etc/passwd");
    while (getline(&line, &cap, f) > 0) { /* name:password:uid:gid:gecos:home:shell */
        char *field[7], *p = line;
        int n = 0;
        line[strcspn(line, "\n")] = 0;
        while (n < 7 && p) {
            field[n++] = p;
            if ((p = strchr(p, ':'))) *p++ = 0;
        }
        char *end;
        unsigned long id = n >= 6 ? strtoul(field[2], &end, 10) : 0;
        if (n >= 6 && end != field[2] && !*end && id == num(uid) && *field[5]) {
            snprintf(home, sizeof home, "HOME=%s", field[5]);
            break;
        }
    }
    free(line);
    fclose(f);
}

static const char *env_path(void) {
    for (int i = 0; i < nenv; i++)
        if (!strncmp(envv[i], "PATH=", 5)) return envv[i] + 5;
    return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

static int executable(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Finds file as execvp would, in the container's PATH, so a typo fails at create, not after start. */
static void check_exec(const char *file) {
    if (strchr(file, '/')) {
        if (!executable(file)) fail(file);
        return;
    }
    char dirs[PATH_MAX], cand[PATH_MAX];
    snprintf(dirs, sizeof dirs, "%s", env_path());
    for (char *save, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(cand, sizeof cand, "%s/%s", *d ? d : ".", file);
        if (executable(cand)) return;
    }
    errno = ENOENT;
    fail(file);
}

static int hex_digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A BPF program of insn_size-byte instructions, given as hex; *len is set to its length in bytes. */
static unsigned char *program_bytes(const char *hex, size_t insn_size, size_t *len, const char *what) {
    *len = strlen(hex) / 2;
    if (strlen(hex) % 2 || *len % insn_size) { errno = EINVAL; fail(what); }
    unsigned char *bytes = malloc(*len + 1);
    if (!bytes) fail(what);
    for (size_t i = 0; i < *len; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) { errno = EINVAL; fail(what); }
        bytes[i] = (unsigned char)(hi << 4 | lo);
    }
    return bytes;
}

/* Loads the seccomp filter capsa compiled. Without no_new_privs this needs CAP_SYS_ADMIN. */
static void load_seccomp(const char *flags, const char *hex) {
    size_t len;
    unsigned char *bytes = program_bytes(hex, sizeof(struct sock_filter), &len, "seccomp filter");
    struct sock_fprog prog = {.len = (unsigned short)(len / sizeof(struct sock_filter)), .filter = (struct sock_filter *)bytes};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned int)num(flags), &prog) != 0) fail("seccomp");
    free(bytes);
}

/* Loads a BPF_PROG_TYPE_CGROUP_DEVICE program and attaches it to the cgroup directory, which keeps it. */
static void attach_device_filter(const char *dir, const char *hex) {
    size_t len;
    unsigned char *insns = program_bytes(hex, sizeof(struct bpf_insn), &len, "device filter");
    static char log[1 << 16];
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (uintptr_t)insns;
    attr.insn_cnt = (uint32_t)(len / sizeof(struct bpf_insn));
    attr.license = (uintptr_t)"Apache-2.0";
    attr.log_level = 1;
    attr.log_size = sizeof log;
    attr.log_buf = (uintptr_t)log;
    int prog = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
    if (prog < 0) { /* the verifier's last line says why, on the one line a report has */
        char *end = log + strlen(log), *last;
        while (end > log && end[-1] == '\n') *--end = 0;
        last = strrchr(log, '\n');
        fail(*log ? (last ? last + 1 : log) : "load the device filter");
    }
    int cgroup = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cgroup < 0) fail(dir);
    memset(&attr, 0, sizeof attr);
    attr.target_fd = (uint32_t)cgroup;
    attr.attach_bpf_fd = (uint32_t)prog;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof attr) < 0) fail(dir);
    close(cgroup);
    close(prog);
    free(insns);
}

static pid_t child;
static int console_sock = -1, relay_sock = -1, relay_master = -1;

static void forward_signal(int sig) {
    struct winsize ws;
    if (sig == SIGWINCH && relay_master >= 0 && ioctl(0, TIOCGWINSZ, &ws) == 0) ioctl(relay_master, TIOCSWINSZ, &ws);
    if (child > 0) kill(child, sig);
}

/* Sends fd with name as the payload over a unix socket (SCM_RIGHTS), as runc's --console-socket does. */
static void send_fd(int sock, int fd, const char *name) {
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    if (sendmsg(sock, &msg, 0) < 0) fail("console socket");
}

static int recv_fd(int sock) {
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    char name[64];
    struct iovec iov = {.iov_base = name, .iov_len = sizeof name};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    int fd = -1;
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

/*
 * The address of the unix socket at path. A path too long for sun_path (108 bytes) is reached through
 * its directory, opened as *dir (to close after bind or connect): /proc/self/fd/N/name, as conmon does.
 */
static struct sockaddr_un unix_address(const char *path, int *dir) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    const char *slash = strrchr(path, '/');
    *dir = -1;
    if (strlen(path) < sizeof addr.sun_path) {
        strcpy(addr.sun_path, path);
        return addr;
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - path) : 0, path);
    if (!slash || (*dir = open(*parent ? parent : "/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0
        || snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", *dir, slash + 1) >= (int)sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        fail(path);
    }
    return addr;
}

/* A socket connected to path; -1 with errno when nobody listens there. */
static int connect_unix(const char *path, int type) {
    int dir, fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = unix_address(path, &dir);
    if (fd < 0) fail("socket");
    int ok = connect(fd, (struct sockaddr *)&addr, sizeof addr), err = errno;
    if (dir >= 0) close(dir);
    if (ok == 0) return fd;
    close(fd);
    errno = err;
    return -1;
}

static void connect_console_socket(const char *path) {
    if ((console_sock = connect_unix(path, SOCK_STREAM)) < 0) fail(path);
}

/* In the container: a new pty becomes the controlling terminal and stdio; its master goes to console_sock. */
static void make_console(char **a) {
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC), unlock = 0, n;
    if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0) fail("/dev/ptmx");
    char name[32];
    snprintf(name, sizeof name, "/dev/pts/%d", n);
    int slave = open(name, O_RDWR | O_NOCTTY);
    if (slave < 0) fail(name);
    struct winsize ws = {.ws_row = (unsigned short)num(a[0]), .ws_col = (unsigned short)num(a[1])};
    if ((ws.ws_row || ws.ws_col) && ioctl(slave, TIOCSWINSZ, &ws) < 0) fail(name);
    if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) fail(name);
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0) fail(name);
    if (slave > 2) close(slave);
    send_fd(console_sock, master, name);
    close(master);
    close(console_sock);
}

static void write_all(int fd, const char *buf, ssize_t len) {
    while (len > 0) {
        ssize_t n = write(fd, buf, (size_t)len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        buf += n;
        len -= n;
    }
}

/* The monitor's terminal: our stdin goes raw into the pty, the pty's output to our stdout, until it closes. */
static void relay_console(void) {
    struct termios saved, raw;
    int is_tty = isatty(0) && tcgetattr(0, &saved) == 0, in_open = 1;
    if ((relay_master = recv_fd(relay_sock)) < 0) return;
    close(relay_sock);
    if (is_tty) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(0, TCSANOW, &raw);
        forward_signal(SIGWINCH);
    }
    char buf[4096];
    for (;;) {
        struct pollfd p[2] = {{.fd = relay_master, .events = POLLIN}, {.fd = in_open ? 0 : -1, .events = POLLIN}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (p[0].revents) {
            ssize_t n = read(relay_master, buf, sizeof buf);
            if (n <= 0) break;
            write_all(1, buf, n);
        }
        if (p[1].revents) {
            ssize_t n = read(0, buf, sizeof buf);
            if (n <= 0) in_open = 0;
            else write_all(relay_master, buf, n);
        }
    }
    if (is_tty) tcsetattr(0, TCSANOW, &saved);
}

static int move_fd_above(int fd, int min) {
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, min);
    if (moved < 0) fail("move descriptor");
    close(fd);
    return moved;
}

static void close_between(unsigned int first, unsigned int last) {
    if (first <= last && syscall(SYS_close_range, first, last, 0) < 0) fail("close_range");
}

/*
 * The detached monitor (DETACH_MONITOR), as conmon is for Podman: the container's parent, which holds its
 * stdio, keeps its log, serves attach clients and records its exit, long after capsa has returned.
 *
 * Processes: the helper H (capsa's child) makes the monitor's descriptors, calls setsid and forks the
 * monitor M, then exits: M is in a session of its own, leads neither it nor a process group, and is
 * nobody's child but init's. M becomes a child subreaper and forks R, which goes on with the plan
 * (namespaces, CLONE, parent steps) and exits once the init is released: the init, R's child, is then
 * re-parented to M. M stays in capsa's namespaces, where the log, exit file and exit command are. Over
 * a pipe, R tells it the init's pid and the init that it is READY; when the pipe ends before, the create
 * failed, and M leaves without an exit file or exit command (capsa cleans up).
 *
 * Attach protocol, on the AF_UNIX SOCK_SEQPACKET socket at the attach path. Every message is one
 * packet: a type byte, then its payload.
 *   monitor -> client: 'h' hello, once the client is registered (no output after it is missed);
 *                      '1' stdout bytes, '2' stderr bytes (a pty's output is all '1');
 *                      'x' the exit code in decimal, once the output is drained and the exit file written.
 *   client -> monitor: 'o' this client is the owner: if it acknowledges the exit, no exit command runs;
 *                      'i' bytes for the container's stdin; 'e' end of stdin (closes it, pipes only);
 *                      'w' u16 rows, u16 cols: the pty's window size; 's' int signal: for the init;
 *                      'k' the exit was received.
 * The log is the CRI format: "<RFC 3339 UTC time, ns> <stdout|stderr> <F|P> <bytes>\n" per line, P for
 * a part of a line longer than IO_BUF, or of one that ended without a newline.
 */
#define IO_BUF 8192
#define MAX_CLIENTS 16
#define CLIENT_TIMEOUT_MS 5000 /* a client that takes no output for this long is dropped */
#define OWNER_ACK_MS 10000     /* how long the exit waits for an owner's acknowledgement */

enum { MSG_HELLO = 'h', MSG_STDOUT = '1', MSG_STDERR = '2', MSG_EXIT = 'x', MSG_OWNER = 'o', MSG_STDIN = 'i',
       MSG_EOF = 'e', MSG_RESIZE = 'w', MSG_SIGNAL = 's', MSG_ACK = 'k' };

static int monitor_pid_fd = -1; /* R and the init: where the init's pid and its READY go to the monitor */

static struct monitor {
    int log, listener, null, pids, events;
    int out, err, in, relay; /* the container's stdout, stderr, stdin (out = in = the pty master); -1 once closed */
    int terminal;
    const char *exit_file, *exit_tmp, *socket, *rootfs;
    char **exit_argv, **exit_env;
    pid_t init;
    struct client { int fd, owner; } clients[MAX_CLIENTS];
    int nclients;
    struct line { size_t len; char buf[IO_BUF]; } line[2]; /* per stream: the line not yet logged */
    size_t npending;
    char pending[IO_BUF]; /* stdin the container has not taken yet; clients are not read meanwhile */
} mon;

static int listen_unix(const char *path) {
    int dir, fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_un addr = unix_address(path, &dir);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) fail(path);
    if (chmod(path, 0600) < 0 || listen(fd, MAX_CLIENTS) < 0) fail(path); /* root's container, root's socket */
    if (dir >= 0) close(dir);
    return fd;
}

/* Above the descriptors the container keeps, which a new descriptor would otherwise take when there is a gap. */
static int above_kept(int fd, const char *what) {
    if (fd < 0) fail(what);
    return fd >= kept_fds ? fd : move_fd_above(fd, kept_fds);
}

/* Closes every descriptor but those in keep (-1 entries are ignored). */
static void close_all_but(int *keep, int n) {
    unsigned int from = 0;
    for (;;) {
        int next = -1; /* the lowest kept descriptor at or above from */
        for (int i = 0; i < n; i++)
            if (keep[i] >= (int)from && (next < 0 || keep[i] < next)) next = keep[i];
        if (next < 0) break;
        if ((unsigned int)next > from) close_between(from, (unsigned int)next - 1);
        from = (unsigned int)next + 1;
    }
    close_between(from, ~0U);
}

/* The record's time, as CRI logs have it: 2026-11-26T03:04:05.123456789Z. */
static int timestamp(char *out, size_t size) {
    struct timespec t;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &t);
    gmtime_r(&t.tv_sec, &tm);
    return snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, t.tv_nsec);
}

/* One log record from the stream's line; a write error is ignored: the container must not wait for its log. */
static void log_record(int stream, char tag) {
    struct line *l = &mon.line[stream];
    char head[64];
    int n = timestamp(head, sizeof head);
    n += snprintf(head + n, sizeof head - (size_t)n, " %s %c ", stream ? "stderr" : "stdout", tag);
    struct iovec iov[3] = {{head, (size_t)n}, {l->buf, l->len}, {"\n", 1}};
    if (writev(mon.log, iov, 3) < 0) { /* the engine sees the log cut short */ }
    l->len = 0;
}

static void log_output(int stream, const char *data, size_t n) {
    struct line *l = &mon.line[stream];
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n, room = sizeof l->buf - l->len;
        if (take > room) take = room;
        memcpy(l->buf + l->len, data, take);
        l->len += take;
        data += take;
        n -= take;
        if (n > 0 && *data == '\n') {
            log_record(stream, 'F');
            data++;
            n--;
        } else if (l->len == sizeof l->buf) {
            log_record(stream, 'P');
        }
    }
}

static void drop_client(int i) {
    close(mon.clients[i].fd);
    mon.clients[i] = mon.clients[--mon.nclients];
}

/* Sends one message; false when the client is gone or has taken nothing for CLIENT_TIMEOUT_MS. */
static int send_message(int fd, const void *buf, size_t len) {
    for (;;) {
        if (send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) return 1;
        if (errno != EAGAIN && errno != EINTR) return 0;
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        if (errno == EAGAIN && poll(&p, 1, CLIENT_TIMEOUT_MS) <= 0) return 0;
    }
}

static void broadcast(const char *msg, size_t len) {
    for (int i = mon.nclients - 1; i >= 0; i--)
        if (!send_message(mon.clients[i].fd, msg, len)) drop_client(i);
}

static void close_stdin(void) {
    if (mon.in >= 0 && mon.in != mon.out) close(mon.in);
    mon.in = -1;
    mon.npending = 0;
}

/* Reads what the stream has; false at its end (a pty's master reads EIO once no process has the slave open). */
static int relay_output(int stream) {
    int *fd = stream ? &mon.err : &mon.out;
    char msg[1 + IO_BUF];
    ssize_t n = read(*fd, msg + 1, IO_BUF);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
    if (n <= 0) {
        if (mon.line[stream].len) log_record(stream, 'P');
        if (mon.in == *fd) { /* the pty: its input goes too */
            mon.in = -1;
            mon.npending = 0;
        }
        close(*fd);
        *fd = -1;
        return 0;
    }
    log_output(stream, msg + 1, (size_t)n);
    msg[0] = stream ? MSG_STDERR : MSG_STDOUT;
    broadcast(msg, (size_t)n + 1);
    return 1;
}

/* Hands pending stdin on, as much as the container takes now. */
static void flush_stdin(void) {
    ssize_t n = mon.in < 0 ? -1 : write(mon.in, mon.pending, mon.npending);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n < 0) { /* the container closed its stdin */
        if (!mon.terminal) close_stdin();
        mon.npending = 0;
        return;
    }
    memmove(mon.pending, mon.pending + n, mon.npending - (size_t)n);
    mon.npending -= (size_t)n;
}

static void client_message(int i) {
    char msg[1 + IO_BUF];
    struct client *c = &mon.clients[i];
    ssize_t n = recv(c->fd, msg, sizeof msg, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
        drop_client(i);
        return;
    }
    if (msg[0] == MSG_OWNER) c->owner = 1;
    if (msg[0] == MSG_STDIN && mon.in >= 0) {
        memcpy(mon.pending, msg + 1, (size_t)n - 1);
        mon.npending = (size_t)n - 1;
        flush_stdin();
    }
    if (msg[0] == MSG_EOF && !mon.terminal) close_stdin();
    if (msg[0] == MSG_RESIZE && mon.terminal && mon.out >= 0 && n == 5) {
        struct winsize ws = {0};
        memcpy(&ws.ws_row, msg + 1, 2);
        memcpy(&ws.ws_col, msg + 3, 2);
        ioctl(mon.out, TIOCSWINSZ, &ws);
    }
    int sig;
    if (msg[0] == MSG_SIGNAL && n == 1 + (ssize_t)sizeof sig) {
        memcpy(&sig, msg + 1, sizeof sig);
        if (sig > 0 && sig < NSIG) kill(mon.init, sig); /* our child: its pid cannot be reused before we reap it */
    }
}

static void accept_client(void) {
    int fd = accept4(mon.listener, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return;
    char hello = MSG_HELLO;
    if (mon.nclients == MAX_CLIENTS || !send_message(fd, &hello, 1)) {
        close(fd);
        return;
    }
    mon.clients[mon.nclients++] = (struct client){.fd = fd};
}

/* Reaps every child (R, orphans re-parented to us); returns the init's wait status once it has exited, else -1. */
static int reap(void) {
    int status, init_status = -1;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        if (pid == mon.init) init_status = status;
    return init_status;
}

static void set_nonblocking(int fd) {
    if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Until the init exits: output to the log and the clients, clients' input to the container. */
static int serve(void) {
    int status = -1;
    while (status < 0) {
        struct pollfd p[5 + MAX_CLIENTS];
        int take_input = mon.npending == 0;
        p[0] = (struct pollfd){.fd = mon.events, .events = POLLIN};
        p[1] = (struct pollfd){.fd = mon.listener, .events = POLLIN};
        p[2] = (struct pollfd){.fd = mon.out, .events = POLLIN};
        p[3] = (struct pollfd){.fd = mon.err, .events = POLLIN};
        p[4] = (struct pollfd){.fd = take_input ? mon.relay : mon.in, .events = take_input ? POLLIN : POLLOUT};
        for (int i = 0; i < mon.nclients; i++)
            p[5 + i] = (struct pollfd){.fd = mon.clients[i].fd, .events = take_input ? POLLIN : 0};
        int nclients = mon.nclients;
        if (poll(p, (nfds_t)(5 + nclients), -1) < 0) continue; /* EINTR */
        if (p[0].revents) {
            struct signalfd_siginfo info;
            if (read(mon.events, &info, sizeof info) < 0) { /* the reap below finds what it announced */ }
            status = reap();
        }
        if (p[2].revents) relay_output(0);
        if (p[3].revents) relay_output(1);
        if (p[4].revents && !take_input) flush_stdin();
        if (p[4].revents && take_input) { /* the init sends its pty's master: it is the terminal from now on */
            mon.out = mon.in = recv_fd(mon.relay);
            set_nonblocking(mon.out);
            close(mon.relay);
            mon.relay = -1;
        }
        for (int i = nclients - 1; i >= 0; i--) /* from the end: dropping moves the last client into i */
            if (p[5 + i].revents & POLLIN) client_message(i);
            else if (p[5 + i].revents) drop_client(i);
        if (p[1].revents) accept_client();
    }
    return status;
}

/* Atomically, so that whoever reads it never sees half: tmp, then rename. */
static void write_exit_file(int code) {
    char text[16];
    int len = snprintf(text, sizeof text, "%d\n", code);
    int fd = open(mon.exit_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return; /* nowhere to report: the engine finds no exit file and reconciles */
    ssize_t n = write(fd, text, (size_t)len);
    close(fd);
    if (n == len) rename(mon.exit_tmp, mon.exit_file);
}

/* Whether the client acknowledged the exit within OWNER_ACK_MS. */
static int acknowledged(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char msg[1 + IO_BUF];
    while (poll(&p, 1, OWNER_ACK_MS) > 0) {
        ssize_t n = recv(fd, msg, sizeof msg, MSG_DONTWAIT);
        if (n <= 0) return 0;
        if (msg[0] == MSG_ACK) return 1;
    }
    return 0;
}

static void run_monitor(void) {
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    signal(SIGPIPE, SIG_IGN); /* a client gone mid-write is an error return, not our end */
    mon.events = signalfd(-1, &chld, SFD_CLOEXEC);
    ssize_t n;
    char ready;
    while ((n = read(mon.pids, &mon.init, sizeof mon.init)) < 0 && errno == EINTR) {}
    if (n == sizeof mon.init)
        while ((n = read(mon.pids, &ready, 1)) < 0 && errno == EINTR) {}
    close(mon.pids);
    if (n != 1 || mon.events < 0) { /* the create failed before READY: no container, and capsa cleans up */
        unlink(mon.socket);
        _exit(0);
    }
    int status = serve();
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    /* What the container wrote before it ended, as far as it is there now: others may still hold the pipes. */
    for (int stream = 0; stream < 2; stream++)
        for (int reads = 0; reads < 1024 && (stream ? mon.err : mon.out) >= 0 && relay_output(stream); reads++) {}
    for (int stream = 0; stream < 2; stream++)
        if (mon.line[stream].len) log_record(stream, 'P');
    unlink(mon.socket);
    close(mon.listener);
    /* The root is mounted only while the container runs; done before the exit file, which tells capsa it is
       done (capsa unmounts it if this failed: it spares a foreground run a native call of its own). */
    if (*mon.rootfs && umount2(mon.rootfs, 0) < 0 && errno == EBUSY) umount2(mon.rootfs, MNT_DETACH);
    write_exit_file(code);
    char msg[16];
    int len = snprintf(msg, sizeof msg, "%c%d", MSG_EXIT, code), owner_told = 0;
    for (int i = 0; i < mon.nclients; i++)
        if (send_message(mon.clients[i].fd, msg, (size_t)len) && mon.clients[i].owner && acknowledged(mon.clients[i].fd))
            owner_told = 1;
    /* A capsa that waits for the exit itself (stop, rm -f) claimed it before it signalled: its work, no exit command. */
    char claim[PATH_MAX];
    snprintf(claim, sizeof claim, "%s.claimed", mon.exit_file);
    if (owner_told || !mon.exit_argv[0] || access(claim, F_OK) == 0) _exit(0);
    /* The exit command starts as any program: no subreaper, no blocked signal, stdio /dev/null. */
    prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
    signal(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    execve(mon.exit_argv[0], mon.exit_argv, mon.exit_env);
    _exit(127);
}

/*
 * DETACH_MONITOR in H: see above. The container's ends of its stdio become R's 0, 1 and 2, which the
 * init inherits (with a terminal, /dev/null until CONSOLE puts the pty there; CONSOLE_RELAY came first).
 */
static void detach_monitor(struct step *s) {
    char **a = s->argv;
    uint32_t argc = (uint32_t)num(a[7]);
    if (8 + argc > s->argc) { errno = EINVAL; fail("exit command"); }
    mon.exit_file = a[1];
    mon.exit_tmp = a[2];
    mon.socket = a[3];
    mon.terminal = a[4][0] == '1';
    mon.rootfs = a[6];
    mon.exit_argv = calloc(argc + 1, sizeof(char *));
    mon.exit_env = calloc(s->argc - 8 - argc + 1, sizeof(char *));
    if (!mon.exit_argv || !mon.exit_env) fail("exit command");
    memcpy(mon.exit_argv, a + 8, argc * sizeof(char *));
    memcpy(mon.exit_env, a + 8 + argc, (s->argc - 8 - argc) * sizeof(char *));

    int out[2] = {-1, -1}, err[2] = {-1, -1}, in[2] = {-1, -1}, pids[2];
    mon.log = above_kept(open(a[0], O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600), a[0]);
    mon.null = above_kept(open("/dev/null", O_RDWR | O_CLOEXEC), "/dev/null");
    mon.listener = above_kept(listen_unix(a[3]), a[3]);
    if (!mon.terminal && (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)) fail("pipe");
    if (!mon.terminal && a[5][0] == '1' && pipe2(in, O_CLOEXEC) < 0) fail("pipe");
    if (pipe2(pids, O_CLOEXEC) < 0) fail("pipe");
    if (relay_sock >= 0) relay_sock = above_kept(relay_sock, "relay"); /* R's dup2 onto 0-2 must hit neither */
    if (console_sock >= 0) console_sock = above_kept(console_sock, "relay");
    for (int i = 0; i < 2; i++) {
        if (out[i] >= 0) out[i] = above_kept(out[i], "pipe");
        if (err[i] >= 0) err[i] = above_kept(err[i], "pipe");
        if (in[i] >= 0) in[i] = above_kept(in[i], "pipe");
        pids[i] = above_kept(pids[i], "pipe");
    }
    if (setsid() < 0) fail("setsid");
    pid_t pid = fork();
    if (pid < 0) fail("fork the monitor");
    if (pid > 0) _exit(0); /* H: capsa reaps it; M, its child, is re-parented to init */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) fail("become subreaper");
    if ((pid = fork()) < 0) fail("fork");
    if (pid == 0) { /* R */
        int stdio[3] = {in[0] >= 0 ? in[0] : mon.null, out[1] >= 0 ? out[1] : mon.null, err[1] >= 0 ? err[1] : mon.null};
        for (int fd = 0; fd < 3; fd++)
            if (dup2(stdio[fd], fd) < 0) fail("stdio");
        int mine[] = {mon.log, mon.null, mon.listener, out[0], out[1], err[0], err[1], in[0], in[1], pids[0], relay_sock};
        for (size_t i = 0; i < sizeof mine / sizeof *mine; i++)
            if (mine[i] >= 0) close(mine[i]);
        relay_sock = -1;
        monitor_pid_fd = pids[1];
        return;
    }
    /* M: nothing of capsa's is kept, neither its stdio nor its pipes nor the descriptors it passes on, nor its
       working directory, which would keep its filesystem from being unmounted (the paths are absolute). */
    if (chdir("/") < 0) fail("/");
    mon.out = out[0];
    mon.err = err[0];
    mon.in = in[1];
    mon.pids = pids[0];
    mon.relay = relay_sock;
    for (int fd = 0; fd < 3; fd++)
        if (dup2(mon.null, fd) < 0) _exit(125);
    int keep[] = {0, 1, 2, mon.log, mon.null, mon.listener, mon.out, mon.err, mon.in, mon.pids, mon.relay};
    close_all_but(keep, (int)(sizeof keep / sizeof *keep));
    report_fd = plan_fd = -1;
    set_nonblocking(mon.out);
    set_nonblocking(mon.err);
    set_nonblocking(mon.in);
    run_monitor();
}

/*
 * ATTACH SOCKET STDIN TTY OWNER DETACH_KEYS_HEX: the helper becomes an attach client on the caller's stdio
 * (a helper bin/capsa forked, or one capsa started). It reports "connected" once the monitor has registered
 * it, then "exit N", "detached" or "gone".
 */
static struct termios saved_termios;
static int raw_terminal;

static void restore_terminal(void) {
    if (raw_terminal) tcsetattr(0, TCSADRAIN, &saved_termios);
    raw_terminal = 0;
}

static void send_small(int sock, char type, const void *payload, size_t len) {
    char msg[8];
    msg[0] = type;
    memcpy(msg + 1, payload, len);
    if (send(sock, msg, 1 + len, MSG_NOSIGNAL) < 0) { /* the monitor is gone: the socket's end says so */ }
}

static void send_window_size(int sock) {
    struct winsize ws;
    if (ioctl(0, TIOCGWINSZ, &ws) < 0 && ioctl(1, TIOCGWINSZ, &ws) < 0) return;
    uint16_t size[2] = {ws.ws_row, ws.ws_col};
    send_small(sock, MSG_RESIZE, size, sizeof size);
}

/*
 * Copies input into out ('i' and the bytes), holding back a prefix of the detach keys until the next
 * byte shows whether they follow; returns the length of out, or -1 when the keys were typed.
 */
static ssize_t detach_filter(const unsigned char *keys, size_t nkeys, size_t *matched, const char *in, size_t n, char *out) {
    size_t len = 1;
    out[0] = MSG_STDIN;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (nkeys && c == keys[*matched]) {
            if (++*matched == nkeys) return -1;
            continue;
        }
        memcpy(out + len, keys, *matched); /* not the keys after all: what was held back goes on */
        len += *matched;
        *matched = 0;
        if (nkeys && c == keys[0]) {
            if (nkeys == 1) return -1;
            *matched = 1;
            continue;
        }
        out[len++] = (char)c;
    }
    return (ssize_t)len;
}

static int attach_client(char **argv) {
    const char *path = argv[0];
    int use_stdin = argv[1][0] == '1', tty = argv[2][0] == '1', owner = argv[3][0] == '1';
    size_t nkeys;
    unsigned char *keys = program_bytes(argv[4], 1, &nkeys, "detach keys");
    char line[32];
    snprintf(line, sizeof line, "pid %d\n", getpid()); /* whom capsa forwards signals to */
    report(line);
    close_between(3, (unsigned int)report_fd - 1);
    close_between((unsigned int)report_fd + 1, ~0U);
    /* Signals are read, not handled: forwarded (without a terminal), window sizes, or the end (with one). */
    int signals[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++) sigaddset(&set, signals[i]);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    int sigfd = signalfd(-1, &set, SFD_CLOEXEC);
    int sock = connect_unix(path, SOCK_SEQPACKET);
    char msg[1 + IO_BUF], out[1 + 2 * IO_BUF];
    if (sock < 0 || recv(sock, msg, sizeof msg, 0) != 1 || msg[0] != MSG_HELLO) {
        report("gone\n");
        return 0;
    }
    if (owner) send_small(sock, MSG_OWNER, NULL, 0);
    if (tty && isatty(0) && tcgetattr(0, &saved_termios) == 0) {
        struct termios raw = saved_termios;
        cfmakeraw(&raw);
        raw_terminal = tcsetattr(0, TCSADRAIN, &raw) == 0;
    }
    if (tty) send_window_size(sock);
    report("connected\n");
    const char *result = "gone\n";
    size_t matched = 0, nout = 0;
    int in_open = use_stdin, done = 0;
    while (!done) {
        /* The report pipe's POLLERR: capsa has closed its end (it failed to start the container, or died). */
        struct pollfd p[4] = {{.fd = sock, .events = POLLIN | (nout ? POLLOUT : 0)},
                              {.fd = in_open && !nout ? 0 : -1, .events = POLLIN},
                              {.fd = sigfd, .events = POLLIN},
                              {.fd = report_fd, .events = 0}};
        if (poll(p, 4, -1) < 0) continue;
        if (p[3].revents) break;
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(sock, msg, sizeof msg, MSG_DONTWAIT);
            if (n < 0 && errno == EAGAIN) continue;
            if (n <= 0) break;
            if (msg[0] == MSG_STDOUT || msg[0] == MSG_STDERR) write_all(msg[0] == MSG_STDOUT ? 1 : 2, msg + 1, n - 1);
            if (msg[0] == MSG_EXIT) {
                send_small(sock, MSG_ACK, NULL, 0);
                snprintf(line, sizeof line, "exit %.*s\n", (int)(n - 1), msg + 1);
                result = line;
                break;
            }
        }
        if (nout && (p[0].revents & POLLOUT)) { /* without blocking: the monitor may be waiting for us to read */
            if (send(sock, out, nout, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0) nout = 0;
            else if (errno != EAGAIN && errno != EINTR) break;
        }
        if (p[1].revents) {
            ssize_t n = read(0, msg, IO_BUF);
            if (n <= 0) {
                in_open = 0;
                if (!tty) send_small(sock, MSG_EOF, NULL, 0);
            } else {
                ssize_t len = detach_filter(keys, nkeys, &matched, msg, (size_t)n, out);
                if (len < 0) {
                    result = "detached\n";
                    break;
                }
                nout = len > 1 ? (size_t)len : 0;
            }
        }
        struct signalfd_siginfo info;
        if (p[2].revents && read(sigfd, &info, sizeof info) == sizeof info) {
            int sig = (int)info.ssi_signo;
            if (sig == SIGWINCH) {
                if (tty) send_window_size(sock);
            } else if (!tty) {
                send_small(sock, MSG_SIGNAL, &sig, sizeof sig);
            } else if (sig == SIGTERM || sig == SIGHUP) {
                result = "detached\n";
                done = 1;
            }
        }
    }
    restore_terminal();
    report(result);
    return 0;
}

/* The parent's part after CLONE: parent steps, releasing the child, then exit or monitor. */
static void run_parent(int from, int release_fd, int monitor) {
    char line[64];
    for (current_step = from; current_step < nsteps; current_step++) {
        struct step *s = &steps[current_step];
        if (s->op == OP_SYNC) {
            char go;
            snprintf(line, sizeof line, "pid %d\n", child);
            report(line);
            if (read(plan_fd, &go, 1) != 1 || go != 'g') { /* capsa failed, or is gone */
                kill(child, SIGKILL);
                errno = ECANCELED;
                fail("capsa went away");
            }
        } else if (s->op == OP_CHILD_PROC_WRITE) {
            char path[PATH_MAX];
            snprintf(path, sizeof path, "/proc/%d/%s", child, s->argv[0]);
            if (write_file(path, s->argv[1]) < 0) {
                kill(child, SIGKILL);
                fail(path);
            }
        }
    }
    /* Before the release, so that the pid comes before the 'r' of READY. */
    if (monitor_pid_fd >= 0) write_all(monitor_pid_fd, (const char *)&child, sizeof child);
    if (write(release_fd, "g", 1) != 1) fail("release child");
    close(release_fd);
    close(plan_fd);
    if (!monitor) _exit(0);

    struct sigaction sa = {.sa_handler = forward_signal};
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGCHLD && sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &sa, NULL);
    if (relay_sock >= 0) relay_console();
    int status;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) _exit(125);
    /* capsa reads the status from the pipe: waiting for its child itself would cost it its first native call. */
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    snprintf(line, sizeof line, "exit %d\n", code);
    report(line);
    _exit(code);
}

static void do_clone(unsigned long flags, int monitor) {
    int release[2];
    if (pipe2(release, O_CLOEXEC) < 0) fail("pipe");
    struct clone_args args = {.flags = flags, .exit_signal = SIGCHLD};
    if (held_cgroup2 >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = (uint64_t)held_cgroup2;
    }
    child = (pid_t)syscall(SYS_clone3, &args, sizeof args);
    if (child < 0) fail("clone3");
    if (held_cgroup2 >= 0) close(held_cgroup2);
    if (child > 0) {
        if (runner_state >= 0) close(runner_state); /* the child's to use: the runner ends with the child */
        if (runner_done >= 0) close(runner_done);
        for (int i = 0; i < nheld_tasks; i++) close(held_tasks[i]); /* the child's to write */
        close(release[0]);
        if (console_sock >= 0) close(console_sock);
        run_parent(current_step + 1, release[1], monitor);
    }
    char go;
    close(release[1]);
    if (relay_sock >= 0) close(relay_sock);
    if (read(release[0], &go, 1) != 1) _exit(125); /* the parent failed and reported it */
    close(release[0]);
}

/*
 * Descriptors 0..3+n-1 reach the container; every other one the caller handed down is closed now, before
 * any path of the container is resolved: open, a cwd or program under /proc/self/fd/N would lead into the
 * host (CVE-2024-21626). Only our pipes stay, moved above the kept range and close-on-exec.
 */
static void preserve_fds(const char *n) {
    char *end;
    errno = 0;
    unsigned long extra = strtoul(n, &end, 10);
    if (errno || *end || extra > (unsigned long)INT_MAX - 3) { errno = EINVAL; fail(n); } /* 3 + n must not overflow */
    int kept = kept_fds = 3 + (int)extra;
    if (plan_fd < kept) plan_fd = move_fd_above(plan_fd, kept);
    if (report_fd < kept) report_fd = move_fd_above(report_fd, kept);
    if (fcntl(plan_fd, F_SETFD, FD_CLOEXEC) < 0 || fcntl(report_fd, F_SETFD, FD_CLOEXEC) < 0) fail("plan pipes");
    unsigned int low = (unsigned int)(plan_fd < report_fd ? plan_fd : report_fd);
    unsigned int high = (unsigned int)(plan_fd < report_fd ? report_fd : plan_fd);
    close_between((unsigned int)kept, low - 1);
    close_between(low + 1, high - 1);
    close_between(high + 1, ~0U);
}

/*
 * A cwd may still lead out of the root, through a descriptor kept on purpose (/proc/self/fd/N) or
 * another process's /proc/PID/cwd: the kernel then names it "(unreachable)/...", and we refuse, as runc
 * does since 1.1.12.
 */
static void enter_cwd(const char *dir) {
    char cwd[PATH_MAX];
    if (chdir(dir) < 0) fail(dir);
    if (syscall(SYS_getcwd, cwd, sizeof cwd) < 0) fail(dir);
    if (cwd[0] != '/') {
        errno = 0;
        fail("the working directory is outside the container's root");
    }
}

/*
 * bin/capsa-runtime starts the JVM through here. The helper is forked first, so that the JVM never has to start
 * a process to run a container: its first native call (FFM) alone costs ~35 ms of start-up. The JVM keeps
 * this pid, so callers signal it directly, and finds its ends of the two pipes in the system property
 * capsa.helper (cheaper for Java to read than the environment). The helper waits as its child, already
 * run from its sealed copy: for a plan, or for the end of the pipe when the JVM exits without needing one.
 * argv is this program's: capsa-helper --launch[=N] JAVA ARGS..., N helpers (1 to 4: bin/capsa's run needs
 * one for the container and one for the attach client), their pipes listed pair by pair.
 */
static void launch(char **argv) {
    int helpers = argv[1][8] == '=' && argv[1][9] >= '1' && argv[1][9] <= '4' && !argv[1][10] ? argv[1][9] - '0' : 1;
    int down[4][2], up[4][2];
    char property[128] = "-Dcapsa.helper=";
    for (int i = 0; i < helpers; i++) {
        if (pipe2(down[i], O_CLOEXEC) < 0 || pipe2(up[i], O_CLOEXEC) < 0) { perror("capsa: pipe"); _exit(125); }
        pid_t pid = fork();
        if (pid < 0) { perror("capsa: fork"); _exit(125); }
        if (pid == 0) { /* the others' pipes are close-on-exec: each helper holds only its own */
            current_step = -1;
            plan_fd = down[i][0];
            report_fd = up[i][1];
            /* What the caller's signal state was is no business of the container: start it from the defaults. */
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
            fcntl(plan_fd, F_SETFD, 0);
            fcntl(report_fd, F_SETFD, 0);
            char plan_arg[16], report_arg[16];
            snprintf(plan_arg, sizeof plan_arg, "%d", plan_fd);
            snprintf(report_arg, sizeof report_arg, "%d", report_fd);
            char *helper_argv[] = {"capsa-helper", plan_arg, report_arg, NULL};
            run_from_sealed_memfd(helper_argv); /* now, while the JVM starts */
        }
    }
    for (int i = 0; i < helpers; i++) {
        close(down[i][0]);
        close(up[i][1]);
        fcntl(down[i][1], F_SETFD, 0);
        fcntl(up[i][0], F_SETFD, 0);
        size_t len = strlen(property);
        snprintf(property + len, sizeof property - len, "%s%d %d", i ? " " : "", down[i][1], up[i][0]);
    }
    /* JAVA -Dcapsa.helper=... ARGS...: the slot of --launch takes JAVA, JAVA's takes the property */
    char *java = argv[2];
    argv[1] = java;
    argv[2] = property;
    execv(java, argv + 1);
    perror(java);
    _exit(125);
}

/* Waits for the plan; false when the pipe ends first, as when a CLI call needed no container. */
static int plan_arrives(void) {
    struct pollfd p = {.fd = plan_fd, .events = POLLIN};
    while (poll(&p, 1, -1) < 0)
        if (errno != EINTR) fail("poll");
    return p.revents & POLLIN;
}

int main(int argc, char **argv) {
    if (argc > 2 && strncmp(argv[1], "--launch", 8) == 0) launch(argv);
    if (argc != 3) {
        fprintf(stderr, "capsa-helper: run by capsa, not by hand\n");
        return 125;
    }
    plan_fd = atoi(argv[1]);
    report_fd = atoi(argv[2]);
    current_step = -1;
    run_from_sealed_memfd(argv);
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) fail("prctl dumpable");
    if (!plan_arrives()) return 0;
    parse_plan();
    allocate_env();

    int fifo = -1, held_root = -1, monitor = 0, in_child = 0;
    for (current_step = 0; current_step < nsteps; current_step++) {
        struct step *s = &steps[current_step];
        char **a = s->argv;
        if (in_child && (s->op == OP_SYNC || s->op == OP_CHILD_PROC_WRITE)) continue;
        switch (s->op) {
        case OP_PRESERVE_FDS: preserve_fds(a[0]); break;
        case OP_SETNS: {
            int fd = *a[0] ? open(a[0], O_RDONLY | O_CLOEXEC) : held_namespace((int)num(a[1]));
            if (fd < 0 || setns(fd, (int)num(a[1])) < 0) fail(*a[0] ? a[0] : "held namespace");
            close(fd);
            break;
        }
        case OP_HOLD_NAMESPACE:
            if (nheld_ns == (int)(sizeof held_ns / sizeof *held_ns)) { errno = EMFILE; fail(a[0]); }
            held_ns[nheld_ns] = (struct held_ns){.fd = open(a[0], O_RDONLY | O_CLOEXEC), .nstype = (int)num(a[1])};
            if (held_ns[nheld_ns++].fd < 0) fail(a[0]);
            break;
        case OP_TRY_SETNS: {
            int fd = held_namespace((int)num(a[0]));
            if (setns(fd, (int)num(a[0])) == 0) close(fd);
            else if (errno == EPERM) refused_ns[nrefused_ns++] = (struct held_ns){fd, (int)num(a[0]), current_step};
            else fail("held namespace");
            break;
        }
        case OP_RETRY_SETNS:
            retry_namespaces();
            break;
        case OP_UNSHARE:
            if (unshare((int)num(a[0])) < 0) fail("unshare");
            break;
        case OP_WRITE_FILE:
            if (write_file(a[0], a[1]) < 0) fail(a[0]);
            break;
        case OP_MAKE_FIFO:
            if (mkfifo(a[0], (mode_t)num(a[1])) < 0 || (fifo = open(a[0], O_RDWR | O_CLOEXEC)) < 0) fail(a[0]);
            break;
        case OP_MONITOR:
            monitor = 1;
            break;
        case OP_CLONE:
            do_clone(num(a[0]), monitor);
            in_child = 1;
            break;
        case OP_SETHOSTNAME:
            if (sethostname(a[0], strlen(a[0])) < 0) fail(a[0]);
            break;
        case OP_SETDOMAINNAME:
            if (setdomainname(a[0], strlen(a[0])) < 0) fail(a[0]);
            break;
        case OP_MOUNT:
            if (mount(or_null(a[0]), a[1], or_null(a[2]), num(a[3]), or_null(a[4])) < 0) fail(a[1]);
            break;
        case OP_MOUNT_IN_ROOT: mount_in_root(a); break;
        case OP_MKNOD_IN_ROOT: mknod_in_root(a); break;
        case OP_SYMLINK_IN_ROOT: symlink_in_root(a); break;
        case OP_BIND_ROOT: bind_root(a[0]); break;
        case OP_PIVOT_ROOT: pivot_root(a[0]); break;
        case OP_MOVE_ROOT: move_root(a[0]); break;
        case OP_REMOUNT_RO: remount_ro(a[0]); break;
        case OP_HOLD_ROOT:
            if ((held_root = open(a[0], O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) fail(a[0]);
            break;
        case OP_ENTER_HELD_ROOT:
            if (fchdir(held_root) < 0 || chroot(".") < 0 || chdir("/") < 0) fail("root");
            close(held_root);
            break;
        case OP_SETGROUPS: {
            gid_t gids[NGROUPS_MAX];
            for (uint32_t i = 0; i < s->argc && i < NGROUPS_MAX; i++) gids[i] = (gid_t)num(a[i]);
            if (setgroups(s->argc, gids) < 0) fail("setgroups");
            break;
        }
        case OP_SETGID:
            if (setresgid((gid_t)num(a[0]), (gid_t)num(a[0]), (gid_t)num(a[0])) < 0) fail(a[0]);
            break;
        case OP_SETUID:
            if (setresuid((uid_t)num(a[0]), (uid_t)num(a[0]), (uid_t)num(a[0])) < 0) fail(a[0]);
            break;
        case OP_UMASK: umask((mode_t)num(a[0])); break;
        case OP_CHDIR: enter_cwd(a[0]); break;
        case OP_ENV:
            envv[nenv++] = a[0];
            break;
        case OP_HOME_FROM_PASSWD: home_from_passwd(a[0]); break;
        case OP_CHECK_EXEC: check_exec(a[0]); break;
        case OP_READY:
            if (monitor_pid_fd >= 0) write_all(monitor_pid_fd, "r", 1); /* the monitor's container exists now */
            report("ready\n");
            ready_reported = 1;
            break;
        case OP_AWAIT_START: {
            char go;
            ssize_t n;
            while ((n = read(fifo, &go, 1)) < 0 && errno == EINTR) {}
            if (n != 1) fail("exec fifo");
            close(fifo);
            break;
        }
        case OP_EXEC:
            environ = envv;
            execvp(a[0], a);
            fail(a[0]);
            break;
        case OP_CONSOLE_SOCKET: connect_console_socket(a[0]); break;
        case OP_CONSOLE_RELAY: {
            int sv[2];
            if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) fail("socketpair");
            relay_sock = sv[0];
            console_sock = sv[1];
            break;
        }
        case OP_CONSOLE: make_console(a); break;
        case OP_PRCTL:
            if (prctl((int)num(a[0]), num(a[1]), 0, 0, 0) < 0) fail("prctl");
            break;
        case OP_CAPS: set_caps(a); break;
        case OP_RLIMIT: {
            struct rlimit rl = {.rlim_cur = strtoull(a[1], NULL, 0), .rlim_max = strtoull(a[2], NULL, 0)};
            if (setrlimit((int)num(a[0]), &rl) < 0) fail(a[0]);
            break;
        }
        case OP_MASK_PATH: mask_path(a[0]); break;
        case OP_READONLY_PATH: readonly_path(a[0]); break;
        case OP_PERSONALITY:
            if (personality(num(a[0])) < 0) fail(a[0]);
            break;
        case OP_SETATTR_IN_ROOT: setattr_in_root(a); break;
        case OP_HOOK_SYNC: hook_sync(); break;
        case OP_HOOK_RUNNER: current_step = fork_hook_runner((int)num(a[0])); break;
        case OP_RUN_HOOK: run_hook(s); break;
        case OP_SECCOMP: load_seccomp(a[0], a[1]); break;
        case OP_SIGNAL: signal_process(a); break;
        case OP_DEVICE_FILTER: attach_device_filter(a[0], a[1]); break;
        case OP_HOLD_CGROUP: {
            int fd = open(a[0], O_WRONLY | O_CLOEXEC);
            if (fd < 0 && errno == EISDIR) { /* a v2 directory */
                if ((held_cgroup2 = open(a[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) fail(a[0]);
                break;
            }
            if (fd < 0) fail(a[0]);
            if (nheld_tasks == (int)(sizeof held_tasks / sizeof *held_tasks)) { errno = EMFILE; fail(a[0]); }
            held_tasks[nheld_tasks++] = fd;
            break;
        }
        case OP_JOIN_HELD_CGROUPS:
            for (int i = 0; i < nheld_tasks; i++) {
                if (write(held_tasks[i], "0", 1) != 1) fail("join cgroup");
                close(held_tasks[i]);
            }
            break;
        case OP_LOOPBACK_UP: interface_up(a[0]); break;
        case OP_DETACH_MONITOR: detach_monitor(s); break;
        case OP_ATTACH: _exit(attach_client(a));
        case OP_NEXT_PLAN: /* from the start again: a plan of host steps leaves nothing behind to reset */
            report("next\n");
            if (!plan_arrives()) return 0;
            nsteps = 0;
            parse_plan();
            allocate_env();
            current_step = -1;
            break;
        case OP_JOIN_KEYRING:
            if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, a[0]) < 0) fail(a[0]);
            break;
        default:
            errno = EINVAL;
            fail("unknown step");
        }
    }
    return 0;
}
